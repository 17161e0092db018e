/** The service, wired together: main.ts starts tracing first and then imports this. */
import { runService, systemDeps } from "@fulfillment/runtime";
import { loadOrderConfig } from "./config.js";
import { orderApi } from "./http/routes.js";
import { orderHandlers } from "./messaging/handlers.js";
import { migrations } from "./persistence/migrations.js";

const config = loadOrderConfig();

await runService(config, ({ knex, logger }) => {
  const deps = systemDeps(logger);
  return {
    migrations,
    consumer: {
      handlers: orderHandlers(deps),
    },
    api: orderApi(knex, deps, config.SAGA_TRACKER_URL),
  };
});
