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
      for (const part of [...parts].reverse()) {
        try {
          await part.stop();
          logger.info({ part: part.name }, "stopped");
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
  process.once("SIGTERM", () => void shutdown().then(() => process.exit()));
  process.once("SIGINT", () => void shutdown().then(() => process.exit()));
  return shutdown;
}
