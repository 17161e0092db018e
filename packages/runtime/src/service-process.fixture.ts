/** Runs lifecycle-service.fixture.ts as a child process and reads its JSON log lines. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect } from "vitest";

export type LogLine = Record<string, unknown> & { msg?: string };

export interface ServiceProcess {
  /** Every log line so far; a line that is not JSON (an uncaught error) as `{ text }`. */
  lines: LogLine[];
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  signal(name: NodeJS.Signals): void;
  /** Resolves once a line with this message is logged, failing with the log so far if it is not. */
  logged(msg: string, timeoutMs?: number): Promise<LogLine>;
}

const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();

/** Kills every service process a test started that is still running (after a failed test). */
export function killLeftoverServices(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "lifecycle-service.fixture.ts")],
    { cwd: join(import.meta.dirname, ".."), env: { PATH: process.env.PATH ?? "", ...env }, stdio: "pipe" },
  );
  const lines: LogLine[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (text) => {
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ text });
      }
    });
  }
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    lines,
    exited,
    signal: (name) => void child.kill(name),
    logged: async (msg, timeoutMs = 60_000) => {
      await expect
        .poll(() => lines.some((line) => line.msg === msg), { timeout: timeoutMs, interval: 100 })
        .toBe(true);
      return lines.find((line) => line.msg === msg)!;
    },
  };
}

/** Resolves with the exit code, or with "still running" after `ms`. */
export function exitWithin(service: ServiceProcess, ms: number): Promise<number | null | "still running"> {
  return Promise.race([
    service.exited,
    new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms).unref()),
  ]);
}
