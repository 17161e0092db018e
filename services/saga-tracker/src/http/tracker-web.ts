import type { ServiceApi, SessionAuthenticator, TokenVerifier } from "@fulfillment/runtime";
import type { Express } from "express";
import type { Knex } from "knex";
import type { TrackerConfig } from "../config.js";
import { OidcClient } from "./auth/oidc-client.js";
import { SessionStore } from "./auth/sessions.js";
import { signInRoutes } from "./auth/sign-in-routes.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { sagaApi } from "./routes.js";

/** The settings the tracker's HTTP side reads. */
export type TrackerWebConfig = Pick<
  TrackerConfig,
  | "AUTH_ISSUER"
  | "DASHBOARD_PUBLIC_URL"
  | "DASHBOARD_OIDC_CLIENT_ID"
  | "DASHBOARD_OIDC_CLIENT_SECRET"
  | "DASHBOARD_OIDC_ALLOW_HTTP"
  | "DASHBOARD_SESSION_MINUTES"
>;

/** The tracker's HTTP side: its REST API, the dashboard's session authenticator, and its pages. */
export interface TrackerWeb {
  api: ServiceApi;
  session: SessionAuthenticator;
  pages: (app: Express) => void;
}

/**
 * Wires the saga API, the operator dashboard and its sign-in (OpenID Connect when
 * DASHBOARD_OIDC_CLIENT_ID is set, one-time links otherwise). service.ts serves it beside the
 * consumer; tests serve it alone, without Kafka.
 */
export function trackerWeb(options: {
  knex: Knex;
  verifier: TokenVerifier;
  config: TrackerWebConfig;
  now: () => Date;
}): TrackerWeb {
  const { knex, verifier, config, now } = options;
  const sessions = new SessionStore(knex, config.DASHBOARD_SESSION_MINUTES * 60_000, now);
  const oidc = config.DASHBOARD_OIDC_CLIENT_ID
    ? new OidcClient({
        issuer: config.AUTH_ISSUER,
        clientId: config.DASHBOARD_OIDC_CLIENT_ID,
        clientSecret: config.DASHBOARD_OIDC_CLIENT_SECRET,
        allowHttp: config.DASHBOARD_OIDC_ALLOW_HTTP,
      })
    : undefined;
  return {
    api: sagaApi(knex),
    session: sessions.authenticator(),
    pages: (app) => {
      signInRoutes(app, { knex, sessions, verifier, oidc, publicUrl: config.DASHBOARD_PUBLIC_URL, now });
      dashboardRoutes(app, {
        knex,
        sessions,
        oidcConfigured: oidc !== undefined,
        issuerOrigin: new URL(config.AUTH_ISSUER).origin,
      });
    },
  };
}
