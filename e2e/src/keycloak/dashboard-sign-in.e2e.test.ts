/**
 * A real browser signs in to the saga tracker's dashboard through Keycloak's own login page
 * (authorization code + PKCE): an operator lands on the dashboard and sees saga data in an
 * HttpOnly, SameSite session; signing out ends it; a pharmacist gets no dashboard data.
 */
import type { Server } from "node:http";
import { createMetricsRegistry, createServiceApp, listen, TokenVerifier } from "@fulfillment/runtime";
import { loadTrackerConfig, migrations, trackerWeb } from "@fulfillment/saga-tracker/web";
import type { TestDatabase } from "@fulfillment/testing";
import type { Knex } from "knex";
import { pino } from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../in-process.js";
import { clientSecretOf, keycloak, migratedDatabase, passwordOf, type RealmUser } from "./keycloak.js";

/** The realm's saga-dashboard client allows this redirect URI (port) for tests. */
const DASHBOARD = "http://127.0.0.1:18305";
const ORDER_ID = `order-kc-${Date.now()}`;

let db: TestDatabase;
let knex: Knex;
let server: Server;
let browser: Browser;

beforeAll(async () => {
  ({ db, knex } = await migratedDatabase("keycloak_dashboard", migrations));
  const now = new Date();
  await knex("sagas").insert({
    order_id: ORDER_ID,
    status: "PENDING_PRESCRIPTION",
    current_step: "prescription",
    started_at: now,
    updated_at: now,
  });
  const config = loadTrackerConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: "silent",
    AUTH_ISSUER: keycloak().issuerUrl,
    DASHBOARD_PUBLIC_URL: DASHBOARD,
    DASHBOARD_OIDC_CLIENT_ID: "saga-dashboard",
    DASHBOARD_OIDC_CLIENT_SECRET: clientSecretOf("saga-dashboard"),
    DASHBOARD_OIDC_ALLOW_HTTP: "true",
  });
  const verifier = new TokenVerifier(config);
  const web = trackerWeb({ knex, verifier, config, now: () => new Date() });
  const app = createServiceApp({
    logger: pino({ level: "silent" }),
    metrics: createMetricsRegistry("saga-tracker"),
    readiness: {},
    knex,
    security: config,
    verifier,
    ...web,
  });
  server = await listen(app, new URL(DASHBOARD).port ? Number(new URL(DASHBOARD).port) : 80).catch(
    (error: unknown) => {
      throw new Error(
        `could not serve the dashboard on ${DASHBOARD} (the realm allows only this port): free it`,
        {
          cause: error,
        },
      );
    },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await knex?.destroy();
  await db?.drop();
});

/** Opens the dashboard in a fresh browser profile and signs in on Keycloak's login page. */
async function signIn(username: RealmUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${DASHBOARD}/`);
  await expectKeycloakLogin(page);
  await page.fill("#username", username);
  await page.fill("#password", passwordOf(username));
  await page.click("#kc-login");
  await page.waitForURL(`${DASHBOARD}/`);
  return page;
}

async function expectKeycloakLogin(page: Page): Promise<void> {
  await page.waitForSelector("#kc-login");
  expect(page.url().startsWith(`${keycloak().issuerUrl}/`)).toBe(true);
}

describe("signing in to the dashboard through Keycloak", () => {
  it("an operator lands on the dashboard with saga data, in an HttpOnly SameSite session, until signing out", async () => {
    const page = await signIn("olivia");
    expect(await page.textContent("body")).toContain(ORDER_ID);
    const cookies = await page.context().cookies(DASHBOARD);
    const session = cookies.find((cookie) => cookie.name === "fulfillment_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    expect(await knex("dashboard_sessions").count({ n: "*" })).toEqual([{ n: "1" }]);

    await page.click("text=Sign out");
    await page.waitForURL(`${DASHBOARD}/auth/signed-out`);
    expect(await knex("dashboard_sessions").count({ n: "*" })).toEqual([{ n: "0" }]);
    // Keycloak's session ended too: the dashboard asks for a password again, not a silent sign-in.
    await page.goto(`${DASHBOARD}/`);
    await expectKeycloakLogin(page);
    expect(await page.textContent("body")).not.toContain(ORDER_ID);
    await page.context().close();
  });

  it("a pharmacist signed in through Keycloak gets no dashboard data", async () => {
    const page = await signIn("alice");
    const body = (await page.textContent("body")) ?? "";
    expect(body).toContain("The dashboard is for operators");
    expect(body).not.toContain(ORDER_ID);
    const api = await page.context().request.get(`${DASHBOARD}/api/sagas`);
    expect(api.status()).toBe(403);
    await page.context().close();
  });
});
