import { runService } from "@fulfillment/runtime";
import { deadlineScanner } from "./application/deadline-scanner.js";
import { SagaMetrics } from "./application/saga-metrics.js";
import { loadTrackerConfig } from "./config.js";
import { OidcClient } from "./http/auth/oidc-client.js";
import { SessionStore } from "./http/auth/sessions.js";
import { signInRoutes } from "./http/auth/sign-in-routes.js";
import { dashboardRoutes } from "./http/dashboard-routes.js";
import { sagaApi } from "./http/routes.js";
import { trackerHandlers } from "./messaging/handlers.js";
import { migrations } from "./persistence/migrations.js";

const config = loadTrackerConfig();

await runService(config, ({ knex, logger, metrics, verifier }) => {
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
  const sessions = new SessionStore(knex, config.DASHBOARD_SESSION_MINUTES * 60_000);
  const oidc = config.DASHBOARD_OIDC_CLIENT_ID
    ? new OidcClient({
        issuer: config.AUTH_ISSUER,
        clientId: config.DASHBOARD_OIDC_CLIENT_ID,
        clientSecret: config.DASHBOARD_OIDC_CLIENT_SECRET,
        allowHttp: config.DASHBOARD_OIDC_ALLOW_HTTP,
      })
    : undefined;
  return {
    migrations,
    consumer: {
      handlers: trackerHandlers(knex, deps),
    },
    api: sagaApi(knex),
    session: sessions.authenticator(),
    pages: (app) => {
      signInRoutes(app, {
        knex,
        sessions,
        verifier,
        oidc,
        publicUrl: config.DASHBOARD_PUBLIC_URL,
        now: deps.now,
      });
      dashboardRoutes(app, {
        knex,
        sessions,
        oidcConfigured: oidc !== undefined,
        issuerOrigin: new URL(config.AUTH_ISSUER).origin,
      });
    },
    workers: [deadlineScanner(knex, deps, config.DEADLINE_SCAN_INTERVAL_MS)],
  };
});
