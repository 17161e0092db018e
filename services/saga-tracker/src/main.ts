import { runService } from "@fulfillment/runtime";
import { deadlineScanner } from "./application/deadline-scanner.js";
import { SagaMetrics } from "./application/saga-metrics.js";
import { loadTrackerConfig } from "./config.js";
import { sagaRoutes } from "./http/routes.js";
import { trackerHandlers } from "./messaging/handlers.js";
import { migrations } from "./persistence/migrations.js";

const config = loadTrackerConfig();

await runService(config, ({ knex, logger, metrics }) => {
  const deps = {
    deadlines: {
      steps: {
        prescription: config.PRESCRIPTION_DEADLINE_MS,
        inventory: config.INVENTORY_DEADLINE_MS,
        shipment: config.SHIPMENT_DEADLINE_MS,
      },
      compensation: config.COMPENSATION_DEADLINE_MS,
    },
    logger,
    metrics: new SagaMetrics(metrics),
    now: () => new Date(),
  };
  return {
    migrations,
    consumer: {
      topics: ["order.events.v1", "prescription.events.v1", "inventory.events.v1", "shipment.events.v1"],
      handlers: trackerHandlers(knex, deps),
    },
    routes: sagaRoutes(knex),
    workers: [deadlineScanner(knex, deps, config.DEADLINE_SCAN_INTERVAL_MS)],
  };
});
