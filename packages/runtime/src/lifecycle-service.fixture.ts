/**
 * A service for the lifecycle tests, run as a real child process (node --import tsx): the runtime's
 * parts (database, relay, consumer, HTTP) and one background worker whose stop returns, hangs or fails.
 */
import { outboxMigrations } from "@fulfillment/outbox";
import { z } from "zod";
import { baseConfigSchema, loadConfig } from "./config.js";
import { defineApi } from "./http.js";
import { runService } from "./service.js";

const config = loadConfig(
  baseConfigSchema.extend({
    FIXTURE_WORKER_STOP: z.enum(["returns", "hangs", "fails"]).default("returns"),
  }),
);

const stopWorker: Record<typeof config.FIXTURE_WORKER_STOP, () => Promise<void>> = {
  returns: () => Promise.resolve(),
  hangs: () => new Promise<void>(() => undefined),
  fails: () => Promise.reject(new Error("the fixture worker failed to stop")),
};

await runService(config, () => ({
  migrations: outboxMigrations,
  consumer: { handlers: {} },
  api: defineApi({}, {}, { title: "Lifecycle test", description: "No routes.", routes: {} }),
  workers: [
    {
      name: "fixture worker",
      start: () => Promise.resolve(),
      stop: stopWorker[config.FIXTURE_WORKER_STOP],
    },
  ],
}));
