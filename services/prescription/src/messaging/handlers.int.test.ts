/**
 * Prescription's formulary rules against a real database holding the seeded formulary, through
 * its message handlers: an order is prescribed only when every item passes, a rejected item is
 * named, and a prescription issued can be cancelled.
 */
import { randomUUID } from "node:crypto";
import type { OrderItem } from "@fulfillment/contracts";
import { systemDeps } from "@fulfillment/runtime";
import { handlerTestBed } from "@fulfillment/outbox/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../persistence/migrations.js";
import { seedFormulary } from "../persistence/seed.js";
import { prescriptionHandlers } from "./handlers.js";

const bed = handlerTestBed("prescription_handlers", "prescription", migrations, async (knex, logger) => {
  await seedFormulary(knex);
  return prescriptionHandlers(systemDeps(logger));
});
beforeAll(bed.setUp);
afterAll(bed.tearDown);

const item = (sku: string, quantity: number): OrderItem => ({ sku, quantity, unitPriceCents: 500 });

/** An order of `items` placed by a patient with a prescriber. */
async function placeOrder(items: OrderItem[]): Promise<string> {
  const orderId = `order-${randomUUID()}`;
  await bed.handlers.OrderCreated(
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
    bed.context(orderId, "OrderCreated"),
  );
  return orderId;
}

const outboxOf = (orderId: string) => bed.outboxOf(orderId);

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
    await bed.handlers.CancelPrescription(
      { eventId: randomUUID(), occurredAt: Date.now(), orderId, reason: "saga failed" },
      bed.context(orderId, "CancelPrescription"),
    );

    const records = await outboxOf(orderId);
    expect(records.map((r) => r.message_type)).toEqual(["PrescriptionCreated", "PrescriptionCancelled"]);
    expect(records[1]?.payload.prescriptionId).toBe(records[0]?.payload.prescriptionId);
    expect(records[1]?.payload.prescriptionId).toEqual(expect.stringMatching(/^rx-/));
  });
});
