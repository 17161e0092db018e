/**
 * Prescription's formulary rules against a real database holding the seeded formulary, through
 * its message handlers: an order is prescribed only when every item passes, a rejected item is
 * named, and a prescription issued can be cancelled.
 */
import { randomUUID } from "node:crypto";
import { newTraceparent, topicOf, type OrderItem } from "@fulfillment/contracts";
import { migrationSource, type MessageContext } from "@fulfillment/outbox";
import { createLogger, systemDeps } from "@fulfillment/runtime";
import { createTestDatabase, testEndpoints, testLogLevel, type TestDatabase } from "@fulfillment/testing";
import knexFactory, { type Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../persistence/migrations.js";
import { seedFormulary } from "../persistence/seed.js";
import { prescriptionHandlers } from "./handlers.js";

let database: TestDatabase;
let knex: Knex;
let handlers: ReturnType<typeof prescriptionHandlers>;
const logger = createLogger("prescription-int-test", testLogLevel());

beforeAll(async () => {
  database = await createTestDatabase(testEndpoints().postgresUrl, "prescription_handlers");
  knex = knexFactory({ client: "pg", connection: database.url, pool: { min: 0, max: 4 } });
  await knex.migrate.latest({ migrationSource: migrationSource(migrations) });
  await seedFormulary(knex);
  handlers = prescriptionHandlers(knex, systemDeps(logger));
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

const item = (sku: string, quantity: number): OrderItem => ({ sku, quantity, unitPriceCents: 500 });

/** An order of `items` placed by a patient with a prescriber. */
async function placeOrder(items: OrderItem[]): Promise<string> {
  const orderId = `order-${randomUUID()}`;
  await handlers.OrderCreated!(
    {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      orderId,
      patientId: "patient-1",
      prescriberId: "dr-1",
      items,
      shippingAddress: {
        line1: "1 Main St",
        line2: null,
        city: "Springfield",
        region: null,
        postalCode: "12345",
        country: "US",
      },
      currency: "USD",
    },
    context(orderId, "OrderCreated"),
  );
  return orderId;
}

const outboxOf = async (orderId: string) =>
  await knex("outbox")
    .where({ message_key: orderId })
    .orderBy("id")
    .select<Array<{ message_type: string; payload: Record<string, unknown> }>>("message_type", "payload");

describe("prescription against the seeded formulary", () => {
  it("rejects an order with an item not on the formulary, naming that item's SKU", async () => {
    const orderId = await placeOrder([item("IBU-200", 1), item("NOT-LISTED-9", 1)]);

    const records = await outboxOf(orderId);
    expect(records.map((r) => r.message_type)).toEqual(["PrescriptionFailed"]);
    expect(records[0]?.payload.rejectedItems).toEqual([
      expect.objectContaining({ sku: "NOT-LISTED-9", rule: "NOT_IN_FORMULARY" }),
    ]);
  });

  it("prescribes an order whose every item passes", async () => {
    const orderId = await placeOrder([item("AMOX-500", 2), item("IBU-200", 5)]);

    const records = await outboxOf(orderId);
    expect(records.map((r) => r.message_type)).toEqual(["PrescriptionCreated"]);
    expect(records[0]?.payload.items).toEqual([
      { sku: "AMOX-500", quantity: 2 },
      { sku: "IBU-200", quantity: 5 },
    ]);
  });

  it("cancels a prescription it issued", async () => {
    const orderId = await placeOrder([item("VITD-1000", 1)]);
    await handlers.CancelPrescription!(
      { eventId: randomUUID(), occurredAt: Date.now(), orderId, reason: "saga failed" },
      context(orderId, "CancelPrescription"),
    );

    const records = await outboxOf(orderId);
    expect(records.map((r) => r.message_type)).toEqual(["PrescriptionCreated", "PrescriptionCancelled"]);
    expect(records[1]?.payload.prescriptionId).toBe(records[0]?.payload.prescriptionId);
    expect(records[1]?.payload.prescriptionId).toEqual(expect.stringMatching(/^rx-/));
  });
});
