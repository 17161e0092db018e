import { spawn } from "node:child_process";
import { mkdirSync, openSync, closeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { childEnvironment } from "../config.js";

/** How to launch a server that must outlive the process that started it. */
export interface DetachedCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** stdout and stderr are appended here (never the console). */
  readonly logFile: string;
  /** Added to the inherited environment. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  readonly uid?: number;
  readonly gid?: number;
}

/** Spawns in its own process group with output to a log file, and lets this process exit without it. */
export function spawnDetached(command: DetachedCommand): number {
  mkdirSync(dirname(command.logFile), { recursive: true });
  const out = openSync(command.logFile, "a");
  try {
    const child = spawn(command.command, [...command.args], {
      cwd: command.cwd,
      env: childEnvironment(command.extraEnv),
      detached: true,
      stdio: ["ignore", out, out],
      ...(command.uid === undefined ? {} : { uid: command.uid, gid: command.gid }),
    });
    if (child.pid === undefined) throw new Error(`could not spawn ${command.command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** True when a process with this id exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * True when the process is alive and, where /proc exists, its command line mentions `marker`
 * (a path under the local folder) — so a recycled pid is never signalled.
 */
export async function isOwnedProcess(pid: number, marker: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes(marker);
  } catch {
    return process.platform !== "linux";
  }
}

/** Sends `signal`, waits up to `graceMs` for the process to exit, then SIGKILLs its group. */
export async function terminate(
  pid: number,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<"stopped" | "killed"> {
  sendSignal(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return "stopped";
    await sleep(100);
  }
  sendSignal(-pid, "SIGKILL");
  sendSignal(pid, "SIGKILL");
  while (isAlive(pid)) await sleep(50);
  return "killed";
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
