/**
 * Shipment's two-input join against a real database, through its message handlers: the order's
 * address and its reservation may arrive in either order, each exactly once or again, and the
 * shipment is decided once, when both are known.
 */
import { randomUUID } from "node:crypto";
import { newTraceparent, topicOf, type ShippingAddress } from "@fulfillment/contracts";
import { migrationSource, type MessageContext } from "@fulfillment/outbox";
import { createLogger, systemDeps } from "@fulfillment/runtime";
import { createTestDatabase, testEndpoints, testLogLevel, type TestDatabase } from "@fulfillment/testing";
import knexFactory, { type Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../persistence/migrations.js";
import { shipmentHandlers } from "./handlers.js";

let database: TestDatabase;
let knex: Knex;
let handlers: ReturnType<typeof shipmentHandlers>;
const logger = createLogger("shipment-int-test", testLogLevel());

beforeAll(async () => {
  database = await createTestDatabase(testEndpoints().postgresUrl, "shipment_handlers");
  knex = knexFactory({ client: "pg", connection: database.url, pool: { min: 0, max: 4 } });
  await knex.migrate.latest({ migrationSource: migrationSource(migrations) });
  await knex("serviceable_destinations").insert([{ code: "US" }, { code: "GB" }]);
  handlers = shipmentHandlers(knex, { ...systemDeps(logger), trackingNumber: () => `1Z${randomUUID()}` });
});
afterAll(async () => {
  await knex?.destroy();
  await database?.drop();
});

const context = (orderId: string, name: Parameters<typeof topicOf>[0]): MessageContext => ({
  topic: topicOf(name),
  partition: 0,
  offset: "0",
  key: orderId,
  headers: {},
  trace: { correlationId: orderId, traceparent: newTraceparent() },
  logger,
});

const address = (country: string): ShippingAddress => ({
  line1: "1 Main St",
  line2: null,
  city: "Springfield",
  region: null,
  postalCode: "12345",
  country,
});

const orderCreated = (orderId: string, country = "US") => ({
  eventId: randomUUID(),
  occurredAt: Date.now(),
  orderId,
  patientId: "patient-1",
  prescriberId: null,
  items: [{ sku: "AMOX-500", quantity: 1, unitPriceCents: 1_000 }],
  shippingAddress: address(country),
  currency: "USD",
});

const inventoryReserved = (orderId: string) => ({
  eventId: randomUUID(),
  occurredAt: Date.now(),
  orderId,
  reservationId: `res-${orderId}`,
  lines: [{ sku: "AMOX-500", quantity: 1 }],
});

const outboxOf = async (orderId: string) =>
  (await knex("outbox").where({ message_key: orderId }).orderBy("id").pluck("message_type")) as string[];

describe("shipment's join of address and reservation", () => {
  it("initiates one shipment when the address comes first, then the reservation", async () => {
    const orderId = `order-${randomUUID()}`;
    await handlers.OrderCreated!(orderCreated(orderId), context(orderId, "OrderCreated"));
    expect(await outboxOf(orderId)).toEqual([]);
    await handlers.InventoryReserved!(inventoryReserved(orderId), context(orderId, "InventoryReserved"));

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiated"]);
  });

  it("initiates one shipment when the reservation comes first, then the address", async () => {
    const orderId = `order-${randomUUID()}`;
    await handlers.InventoryReserved!(inventoryReserved(orderId), context(orderId, "InventoryReserved"));
    expect(await outboxOf(orderId)).toEqual([]);
    await handlers.OrderCreated!(orderCreated(orderId), context(orderId, "OrderCreated"));

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiated"]);
  });

  it("initiates no second shipment when either input arrives again", async () => {
    const orderId = `order-${randomUUID()}`;
    const order = orderCreated(orderId);
    const reservation = inventoryReserved(orderId);
    await handlers.OrderCreated!(order, context(orderId, "OrderCreated"));
    await handlers.InventoryReserved!(reservation, context(orderId, "InventoryReserved"));
    // Redelivered records, and the same facts republished under new event ids.
    await handlers.OrderCreated!(order, context(orderId, "OrderCreated"));
    await handlers.InventoryReserved!(reservation, context(orderId, "InventoryReserved"));
    await handlers.OrderCreated!({ ...order, eventId: randomUUID() }, context(orderId, "OrderCreated"));
    await handlers.InventoryReserved!(
      { ...reservation, eventId: randomUUID() },
      context(orderId, "InventoryReserved"),
    );

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiated"]);
  });

  it("fails the shipment of an order to an unserviceable destination", async () => {
    const orderId = `order-${randomUUID()}`;
    await handlers.OrderCreated!(orderCreated(orderId, "ZZ"), context(orderId, "OrderCreated"));
    await handlers.InventoryReserved!(inventoryReserved(orderId), context(orderId, "InventoryReserved"));

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiationFailed"]);
    const failure = await knex("outbox")
      .where({ message_key: orderId })
      .first<{ payload: { reason: string } } | undefined>("payload");
    expect(failure?.payload.reason).toContain("ZZ");
  });
});
