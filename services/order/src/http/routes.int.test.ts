/**
 * The order API's Idempotency-Key against a real database and real tokens (an issuer of the test's
 * own, verified by the service's TokenVerifier over HTTP): the same POST under the same key places
 * one order, and the key reused for another body is refused.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { generateSigningKey, mintToken, startIssuerServer, type IssuerServer } from "@fulfillment/identity";
import { migrationSource } from "@fulfillment/outbox";
import {
  auditMigrations,
  createLogger,
  createMetricsRegistry,
  createServiceApp,
  listen,
  securityConfigShape,
  systemDeps,
  TokenVerifier,
} from "@fulfillment/runtime";
import { createTestDatabase, testEndpoints, testLogLevel, type TestDatabase } from "@fulfillment/testing";
import knexFactory, { type Knex } from "knex";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../persistence/migrations.js";
import { orderApi } from "./routes.js";

let issuer: IssuerServer;
let database: TestDatabase;
let knex: Knex;
let server: Server;
let base: string;
let token: string;

beforeAll(async () => {
  const key = await generateSigningKey();
  issuer = await startIssuerServer({ keys: [key.publicJwk] });
  database = await createTestDatabase(testEndpoints().postgresUrl, "order_http");
  knex = knexFactory({ client: "pg", connection: database.url, pool: { min: 0, max: 4 } });
  await knex.migrate.latest({ migrationSource: migrationSource(migrations, auditMigrations) });
  const logger = createLogger("order-int-test", testLogLevel());
  const security = z.object(securityConfigShape).parse({ AUTH_ISSUER: issuer.url });
  const app = createServiceApp({
    logger,
    metrics: createMetricsRegistry("order-int-test"),
    readiness: {},
    knex,
    security,
    verifier: new TokenVerifier(security),
    api: orderApi(knex, systemDeps(logger), "http://tracker.invalid"),
  });
  server = await listen(app, 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = await mintToken(key, issuer.url, { subject: "int-test-client", roles: ["ordering-client"] });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await issuer?.close();
  await knex?.destroy();
  await database?.drop();
});

const order = (patientId: string, quantity = 1) => ({
  patientId,
  items: [{ sku: "IBU-200", quantity, unitPriceCents: 500 }],
  shippingAddress: { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
});

const placeOrder = (body: unknown, key: string) =>
  fetch(`${base}/api/orders`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });

const orderCreatedCount = async (orderId: string) =>
  Number(
    (
      await knex("outbox")
        .where({ message_key: orderId, message_type: "OrderCreated" })
        .count<Array<{ count: string }>>("* as count")
    )[0]?.count,
  );

describe("POST /api/orders with an Idempotency-Key", () => {
  it("places one order however many times the same request is sent under the same key", async () => {
    const key = randomUUID();
    const body = order(`pat-${randomUUID()}`);
    const first = await placeOrder(body, key);
    const second = await placeOrder(body, key);

    expect([first.status, second.status]).toEqual([202, 202]);
    const [placed, replayed] = (await Promise.all([first.json(), second.json()])) as Array<{
      orderId: string;
      replayed: boolean;
    }>;
    expect(replayed?.orderId).toBe(placed?.orderId);
    expect([placed?.replayed, replayed?.replayed]).toEqual([false, true]);
    expect(await orderCreatedCount(placed!.orderId)).toBe(1);
  });

  it("refuses the same key for a different request, saying so, and places nothing more", async () => {
    const key = randomUUID();
    const patientId = `pat-${randomUUID()}`;
    const first = await placeOrder(order(patientId, 1), key);
    const placed = (await first.json()) as { orderId: string };
    const reused = await placeOrder(order(patientId, 2), key);

    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({
      status: 422,
      title: "IDEMPOTENCY_KEY_REUSED",
      detail: expect.stringContaining("Idempotency-Key was used for a different request") as unknown,
    });
    const patientsOrders = await knex("outbox")
      .where({ message_type: "OrderCreated" })
      .whereRaw("payload->>'patientId' = ?", [patientId])
      .pluck("message_key");
    expect(patientsOrders).toEqual([placed.orderId]);
  });
});
