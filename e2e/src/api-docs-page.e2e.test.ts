/**
 * The browsable API description: /docs renders the service's /openapi.json in Debian's Chromium
 * from the service's own files, under its content security policy, with no violation and no
 * request leaving the service; /openapi.json answers without a token.
 */
import type { Server } from "node:http";
import { generateSigningKey, startIssuerServer, type IssuerServer } from "@fulfillment/identity";
import { migrations } from "@fulfillment/prescription/web";
import type { TestDatabase } from "@fulfillment/testing";
import type { Knex } from "knex";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, servePrescriptionApi } from "./in-process.js";
import { migratedDatabase } from "./keycloak/keycloak.js";

let db: TestDatabase;
let knex: Knex;
let issuer: IssuerServer;
let server: Server;
let browser: Browser;
let base: string;
/** The same server under a name that is not loopback to the browser, as a service in a network is. */
let named: string;

beforeAll(async () => {
  ({ db, knex } = await migratedDatabase("api_docs_page", migrations));
  issuer = await startIssuerServer({ keys: [(await generateSigningKey()).publicJwk] });
  let port: number;
  ({ server, port, base } = await servePrescriptionApi(knex, issuer.url));
  named = `http://api-docs.test:${port}`;
  // The one name the browser resolves is mapped to loopback.
  browser = await launchChromium(["--host-resolver-rules=MAP api-docs.test 127.0.0.1, EXCLUDE localhost"]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await issuer?.close();
  await knex?.destroy();
  await db?.drop();
});

describe("the API description", () => {
  it("is served at /openapi.json without a token", async () => {
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toContain("/api/formulary/{sku}");
  });

  it("renders at /docs over plain HTTP with every operation, nothing refused by its CSP and nothing fetched elsewhere", async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    const elsewhere: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    page.on("pageerror", (error) => refused.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith(named) && !request.url().startsWith("data:"))
        elsewhere.push(request.url());
    });
    await page.exposeFunction("noteViolation", (text: string) => refused.push(text));
    await page.addInitScript({
      content: `document.addEventListener("securitypolicyviolation", (e) =>
        window.noteViolation("CSP violation: " + e.violatedDirective + " " + e.blockedURI));`,
    });
    const response = await page.goto(`${named}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
    await page.waitForSelector(".opblock", { timeout: 30_000 });
    const operations = await page.locator(".opblock").count();
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.values(document.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(operations).toBe(documented);
    // Swagger UI's icons and styles rendered (they need style-src 'unsafe-inline' and img-src data:).
    await page.waitForTimeout(500);
    expect(refused).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  });

  it("keeps the strict policy everywhere but /docs", async () => {
    const csp = (await fetch(`${base}/openapi.json`)).headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/upgrade-insecure-requests/);
    expect((await fetch(`${base}/docs/`)).headers.get("content-security-policy")).not.toMatch(
      /upgrade-insecure-requests|https:/,
    );
  });
});
