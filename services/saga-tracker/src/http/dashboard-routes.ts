import type { Express } from "express";
import type { Knex } from "knex";
import type { SagaRow } from "../persistence/saga-repository.js";
import { sagaStats } from "../persistence/saga-stats.js";
import { signInRequired } from "./auth/sign-in-routes.js";
import type { SessionStore } from "./auth/sessions.js";
import { dashboardPage } from "./dashboard.js";

/**
 * The operator dashboard at `/`: it shows saga data, so it needs a session of an operator. The
 * page may post its sign-out form to the provider's end-session endpoint too (CSP form-action).
 */
export function dashboardRoutes(
  app: Express,
  options: { knex: Knex; sessions: SessionStore; oidcConfigured: boolean; issuerOrigin: string },
): void {
  const { knex, sessions } = options;
  app.get("/", async (req, res) => {
    const session = await sessions.find(req);
    if (!session) return signInRequired(res, options.oidcConfigured);
    // The sign-out form posts back here; under the default no-referrer policy a browser sends it
    // with `Origin: null`, which the same-origin check must refuse (an attacker's page can send null).
    res.setHeader("Referrer-Policy", "same-origin");
    if (!session.principal.roles.has("operator")) {
      res
        .status(403)
        .type("html")
        .send(
          "<!doctype html><p>The dashboard is for operators. <form method=post action=/auth/sign-out><button>Sign out</button></form></p>",
        );
      return;
    }
    const recent = (await knex("sagas").orderBy("started_at", "desc").limit(25)) as SagaRow[];
    res.setHeader(
      "Content-Security-Policy",
      `default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self' ${options.issuerOrigin}; frame-ancestors 'none'; base-uri 'self'`,
    );
    res.type("html").send(dashboardPage(await sagaStats(knex), recent, session.principal.subject));
  });
}
