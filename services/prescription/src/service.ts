/** The service, wired together: main.ts starts tracing first and then imports this. */
import { runService, systemDeps } from "@fulfillment/runtime";
import { loadPrescriptionConfig } from "./config.js";
import { prescriptionApi } from "./http/routes.js";
import { prescriptionHandlers } from "./messaging/handlers.js";
import { migrations } from "./persistence/migrations.js";
import { seedFormulary } from "./persistence/seed.js";

const config = loadPrescriptionConfig();

await runService(config, ({ knex, logger }) => ({
  migrations,
  seed: seedFormulary,
  consumer: {
    handlers: prescriptionHandlers(systemDeps(logger)),
  },
  api: prescriptionApi(knex),
}));
