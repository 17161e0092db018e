import { execFile } from "node:child_process";

/** Output of a finished command. */
export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and as whom a command runs. */
export interface ToolOptions {
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
}

/** Runs a command to completion; rejects with its last output lines when it fails. */
export function runTool(
  command: string,
  args: readonly string[],
  options: ToolOptions = {},
): Promise<ToolOutput> {
  const { cwd, timeoutMs = 15 * 60_000, uid, gid } = options;
  const identity = uid === undefined ? {} : { uid, gid };
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, ...identity },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const tail = `${stdout}\n${stderr}`.trim().split("\n").slice(-15).join("\n");
        const message = `${command} ${args.join(" ")} failed: ${error.message}${tail ? `\n${tail}` : ""}`;
        reject(new Error(message, { cause: error }));
      },
    );
  });
}
