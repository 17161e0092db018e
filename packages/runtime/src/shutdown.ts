import type { Logger } from "pino";

/** Something to stop on shutdown, in the reverse order of registration. */
export interface Stoppable {
  name: string;
  stop: () => Promise<void>;
}

/**
 * Stops everything on SIGTERM/SIGINT: the last started first (HTTP, then consumers so in-flight
 * records finish and offsets commit, then relay, then connections). Exits 0 when done, 1 on a
 * failure or when `timeoutMs` passes first.
 */
export function installGracefulShutdown(
  logger: Logger,
  parts: Stoppable[],
  timeoutMs: number,
): () => Promise<void> {
  let shuttingDown: Promise<void> | undefined;
  const shutdown = () => {
    shuttingDown ??= (async () => {
      logger.info("shutting down");
      const timer = setTimeout(() => {
        logger.error({ timeoutMs }, "shutdown timed out; exiting");
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      let failed = false;
      for (const [index, part] of [...parts].reverse().entries()) {
        try {
          await part.stop();
          // Its place in the shutdown, as lines written just before an exit may reach the log out of order.
          logger.info({ part: part.name, step: index + 1, of: parts.length }, "stopped");
        } catch (error) {
          failed = true;
          logger.error({ err: error, part: part.name }, "failed to stop cleanly");
        }
      }
      clearTimeout(timer);
      process.exitCode = failed ? 1 : 0;
    })();
    return shuttingDown;
  };
  // The log is written asynchronously: flush it before exiting, or the last lines (which parts
  // stopped) could be lost or land out of order behind a write still in flight.
  const exit = () => logger.flush(() => process.exit());
  process.once("SIGTERM", () => void shutdown().then(exit));
  process.once("SIGINT", () => void shutdown().then(exit));
  return shutdown;
}
