import { createConnection } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** What `waitUntil` needs to decide when to give up early. */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly what: string;
  /** Checked between attempts; return a reason to stop waiting (e.g. the process died). */
  readonly abortReason?: () => string | undefined | Promise<string | undefined>;
  readonly intervalMs?: number;
}

/** Polls `check` until it returns true; throws naming `what` on timeout or abort. */
export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    const reason = await options.abortReason?.();
    if (reason !== undefined) throw new Error(`${options.what}: ${reason}`);
    if (Date.now() > deadline)
      throw new Error(`${options.what}: no answer after ${Math.round(options.timeoutMs / 1000)}s`);
    await sleep(options.intervalMs ?? 250);
  }
}

/** Seconds since `startedAt`, for progress lines. */
export function elapsed(startedAt: number): string {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)}s`;
}
