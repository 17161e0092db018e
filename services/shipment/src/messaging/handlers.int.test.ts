/**
 * Shipment's two-input join against a real database, through its message handlers: the order's
 * address and its reservation may arrive in either order, each exactly once or again, and the
 * shipment is decided once, when both are known.
 */
import { randomUUID } from "node:crypto";
import type { ShippingAddress } from "@fulfillment/contracts";
import { systemDeps } from "@fulfillment/runtime";
import { handlerTestBed } from "@fulfillment/outbox/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../persistence/migrations.js";
import { shipmentHandlers } from "./handlers.js";

const bed = handlerTestBed("shipment_handlers", "shipment", migrations, async (knex, logger) => {
  await knex("serviceable_destinations").insert([{ code: "US" }, { code: "GB" }]);
  return shipmentHandlers({ ...systemDeps(logger), trackingNumber: () => `1Z${randomUUID()}` });
});
beforeAll(bed.setUp);
afterAll(bed.tearDown);

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

const outboxOf = async (orderId: string) => (await bed.outboxOf(orderId)).map((row) => row.message_type);

describe("shipment's join of address and reservation", () => {
  it("initiates one shipment when the address comes first, then the reservation", async () => {
    const orderId = `order-${randomUUID()}`;
    await bed.handlers.OrderCreated(orderCreated(orderId), bed.context(orderId, "OrderCreated"));
    expect(await outboxOf(orderId)).toEqual([]);
    await bed.handlers.InventoryReserved(
      inventoryReserved(orderId),
      bed.context(orderId, "InventoryReserved"),
    );

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiated"]);
  });

  it("initiates one shipment when the reservation comes first, then the address", async () => {
    const orderId = `order-${randomUUID()}`;
    await bed.handlers.InventoryReserved(
      inventoryReserved(orderId),
      bed.context(orderId, "InventoryReserved"),
    );
    expect(await outboxOf(orderId)).toEqual([]);
    await bed.handlers.OrderCreated(orderCreated(orderId), bed.context(orderId, "OrderCreated"));

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiated"]);
  });

  it("initiates no second shipment when either input arrives again", async () => {
    const orderId = `order-${randomUUID()}`;
    const order = orderCreated(orderId);
    const reservation = inventoryReserved(orderId);
    await bed.handlers.OrderCreated(order, bed.context(orderId, "OrderCreated"));
    await bed.handlers.InventoryReserved(reservation, bed.context(orderId, "InventoryReserved"));
    // Redelivered records, and the same facts republished under new event ids.
    await bed.handlers.OrderCreated(order, bed.context(orderId, "OrderCreated"));
    await bed.handlers.InventoryReserved(reservation, bed.context(orderId, "InventoryReserved"));
    await bed.handlers.OrderCreated(
      { ...order, eventId: randomUUID() },
      bed.context(orderId, "OrderCreated"),
    );
    await bed.handlers.InventoryReserved(
      { ...reservation, eventId: randomUUID() },
      bed.context(orderId, "InventoryReserved"),
    );

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiated"]);
  });

  it("fails the shipment of an order to an unserviceable destination", async () => {
    const orderId = `order-${randomUUID()}`;
    await bed.handlers.OrderCreated(orderCreated(orderId, "ZZ"), bed.context(orderId, "OrderCreated"));
    await bed.handlers.InventoryReserved(
      inventoryReserved(orderId),
      bed.context(orderId, "InventoryReserved"),
    );

    expect(await outboxOf(orderId)).toEqual(["ShipmentInitiationFailed"]);
    const failure = await bed
      .knex("outbox")
      .where({ message_key: orderId })
      .first<{ payload: { reason: string } } | undefined>("payload");
    expect(failure?.payload.reason).toContain("ZZ");
  });
});
