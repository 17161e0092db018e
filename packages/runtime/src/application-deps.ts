import { randomUUID } from "node:crypto";
import type { Logger } from "pino";

/** What an application layer takes from outside: a logger, the clock and an id source, so the rules stay testable. */
export interface ApplicationDeps {
  logger: Logger;
  now: () => Date;
  newId: () => string;
}

/** The real clock and random UUIDs. */
export function systemDeps(logger: Logger): ApplicationDeps {
  return { logger, now: () => new Date(), newId: randomUUID };
}
