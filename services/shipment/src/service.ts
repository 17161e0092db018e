/** The service, wired together: main.ts starts tracing first and then imports this. */
import { randomBytes } from "node:crypto";
import { runService, systemDeps } from "@fulfillment/runtime";
import { seedDestinations } from "./application/shipments.js";
import { loadShipmentConfig } from "./config.js";
import { shipmentApi } from "./http/routes.js";
import { shipmentHandlers } from "./messaging/handlers.js";
import { migrations } from "./persistence/migrations.js";

const config = loadShipmentConfig();

await runService(config, ({ knex, logger }) => ({
  migrations,
  seed: (db) => seedDestinations(db, config.SERVICEABLE_DESTINATIONS),
  consumer: {
    handlers: shipmentHandlers({
      ...systemDeps(logger),
      trackingNumber: () => `1Z${randomBytes(8).toString("hex").toUpperCase()}`,
    }),
  },
  api: shipmentApi(knex),
}));
