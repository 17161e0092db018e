/** The service, wired together: main.ts starts tracing first and then imports this. */
import { runService, systemDeps } from "@fulfillment/runtime";
import { loadInventoryConfig } from "./config.js";
import { inventoryApi } from "./http/routes.js";
import { inventoryHandlers } from "./messaging/handlers.js";
import { migrations } from "./persistence/migrations.js";
import { seedStock } from "./persistence/seed.js";

const config = loadInventoryConfig();

await runService(config, ({ knex, logger }) => ({
  migrations,
  seed: seedStock,
  consumer: {
    handlers: inventoryHandlers(systemDeps(logger)),
  },
  api: inventoryApi(knex),
}));
