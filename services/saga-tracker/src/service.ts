/** The service, wired together: main.ts starts tracing first and then imports this. */
import { runService } from "@fulfillment/runtime";
import { deadlineScanner } from "./application/deadline-scanner.js";
import { SagaMetrics } from "./application/saga-metrics.js";
import { loadTrackerConfig } from "./config.js";
import { trackerWeb } from "./http/tracker-web.js";
import { trackerHandlers } from "./messaging/handlers.js";
import { migrations } from "./persistence/migrations.js";
import { sagaGauges } from "./persistence/saga-gauges.js";

const config = loadTrackerConfig();

await runService(config, ({ knex, logger, metrics, verifier }) => {
  const deps = {
    deadlines: config.deadlines,
    logger,
    metrics: new SagaMetrics(metrics),
    now: () => new Date(),
  };
  sagaGauges(metrics, knex, deps.now);
  const web = trackerWeb({ knex, verifier, config, now: deps.now });
  return {
    migrations,
    consumer: {
      handlers: trackerHandlers(deps),
    },
    api: web.api,
    session: web.session,
    pages: web.pages,
    workers: [deadlineScanner(knex, deps, config.DEADLINE_SCAN_INTERVAL_MS)],
  };
});
