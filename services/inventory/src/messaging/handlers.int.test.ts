/**
 * Inventory's promises against a real database, through its message handlers: stock rows are
 * locked in SKU order (opposite item orders never deadlock), a reservation is all or nothing,
 * once per delivery, undone by a release, and never made for an order whose saga already failed.
 */
import { randomUUID } from "node:crypto";
import type { PrescribedItem } from "@fulfillment/contracts";
import { systemDeps } from "@fulfillment/runtime";
import { handlerTestBed } from "@fulfillment/outbox/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restock } from "../application/reservations.js";
import { migrations } from "../persistence/migrations.js";
import { inventoryHandlers } from "./handlers.js";

const bed = handlerTestBed(
  "inventory_handlers",
  "inventory",
  migrations,
  (_knex, logger) => inventoryHandlers(systemDeps(logger)),
  { poolMax: 6 },
);
beforeAll(bed.setUp);
afterAll(bed.tearDown);

/** SKUs of this test only, each stocked with `onHand`. */
async function stockedSkus(count: number, onHand: number): Promise<string[]> {
  const run = randomUUID().slice(0, 8);
  const skus = Array.from({ length: count }, (_, i) => `SKU-${run}-${i}`);
  for (const sku of skus) await restock(bed.knex, sku, onHand);
  return skus;
}

const prescriptionCreated = (orderId: string, items: PrescribedItem[]) => ({
  eventId: randomUUID(),
  occurredAt: Date.now(),
  orderId,
  prescriptionId: `rx-${orderId}`,
  patientId: "patient-1",
  prescriberId: null,
  items,
});

const reserve = (orderId: string, items: PrescribedItem[]) =>
  bed.handlers.PrescriptionCreated(
    prescriptionCreated(orderId, items),
    bed.context(orderId, "PrescriptionCreated"),
  );

const reservedOf = async (skus: string[]) =>
  Object.fromEntries(
    (await bed.knex("stock").whereIn("sku", skus).select<Array<{ sku: string; reserved: number }>>()).map(
      (r) => [r.sku, r.reserved],
    ),
  );

const outboxOf = async (orderId: string) => (await bed.outboxOf(orderId)).map((row) => row.message_type);

describe("inventory reservations", () => {
  it("lock stock rows in SKU order: two reservations of the same SKUs in opposite item order both finish", async () => {
    const [a, b] = (await stockedSkus(2, 10)) as [string, string];
    const [first, second] = [`order-${randomUUID()}`, `order-${randomUUID()}`];
    // A third transaction holds the first SKU, so both reservations are in flight at once: one
    // that locked in item order would now hold the second SKU and wait for the first (a deadlock).
    const blocker = await bed.knex.transaction();
    await blocker("stock").where({ sku: a }).forUpdate().select("sku");
    let outcomes: Array<PromiseSettledResult<void>>;
    try {
      const both = Promise.allSettled([
        reserve(first, [
          { sku: a, quantity: 1 },
          { sku: b, quantity: 1 },
        ]),
        reserve(second, [
          { sku: b, quantity: 2 },
          { sku: a, quantity: 2 },
        ]),
      ]);
      await expect
        .poll(
          async () =>
            Number(
              (
                await bed.knex.raw<{ rows: Array<{ waiting: string }> }>(
                  "SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                )
              ).rows[0]?.waiting,
            ),
          { timeout: 10_000, interval: 25 },
        )
        .toBe(2);
      await blocker.commit();

      outcomes = await both;
    } finally {
      if (!blocker.isCompleted()) await blocker.rollback();
    }
    expect(outcomes.map((o) => (o.status === "rejected" ? String(o.reason) : o.status))).toEqual([
      "fulfilled",
      "fulfilled",
    ]);
    expect(await reservedOf([a, b])).toEqual({ [a]: 3, [b]: 3 });
    expect([await outboxOf(first), await outboxOf(second)]).toEqual([
      ["InventoryReserved"],
      ["InventoryReserved"],
    ]);
  });

  it("reserve all lines or none: one short SKU leaves every stock level as it was and publishes the failure", async () => {
    const [plenty, short] = (await stockedSkus(2, 5)) as [string, string];
    const orderId = `order-${randomUUID()}`;
    await reserve(orderId, [
      { sku: plenty, quantity: 1 },
      { sku: short, quantity: 6 },
    ]);

    expect(await reservedOf([plenty, short])).toEqual({ [plenty]: 0, [short]: 0 });
    expect(await outboxOf(orderId)).toEqual(["InventoryReservationFailed"]);
    const failure = await bed.knex("outbox").where({ message_key: orderId }).first<{
      payload: { shortLines: Array<{ sku: string }> };
    }>("payload");
    expect(failure?.payload.shortLines.map((l) => l.sku)).toEqual([short]);
  });

  it("reserve once for an order, however many times its request is delivered", async () => {
    const [sku] = (await stockedSkus(1, 10)) as [string];
    const orderId = `order-${randomUUID()}`;
    const request = prescriptionCreated(orderId, [{ sku, quantity: 4 }]);
    await bed.handlers.PrescriptionCreated(request, bed.context(orderId, "PrescriptionCreated"));
    // The same record redelivered, and the same request republished under a new event id.
    await bed.handlers.PrescriptionCreated(request, bed.context(orderId, "PrescriptionCreated"));
    await bed.handlers.PrescriptionCreated(
      { ...request, eventId: randomUUID() },
      bed.context(orderId, "PrescriptionCreated"),
    );

    expect(await reservedOf([sku])).toEqual({ [sku]: 4 });
    expect(await outboxOf(orderId)).toEqual(["InventoryReserved"]);
  });

  it("give the stock back on release after a reservation", async () => {
    const [a, b] = (await stockedSkus(2, 10)) as [string, string];
    const orderId = `order-${randomUUID()}`;
    await reserve(orderId, [
      { sku: a, quantity: 3 },
      { sku: b, quantity: 7 },
    ]);
    expect(await reservedOf([a, b])).toEqual({ [a]: 3, [b]: 7 });

    const release = { eventId: randomUUID(), occurredAt: Date.now(), orderId, reason: "order cancelled" };
    await bed.handlers.ReleaseInventory(release, bed.context(orderId, "ReleaseInventory"));
    await bed.handlers.ReleaseInventory(
      { ...release, eventId: randomUUID() },
      bed.context(orderId, "ReleaseInventory"),
    );

    expect(await reservedOf([a, b])).toEqual({ [a]: 0, [b]: 0 });
    expect(await outboxOf(orderId)).toEqual(["InventoryReserved", "InventoryReleased", "InventoryReleased"]);
  });

  it("reserve nothing for an order whose saga had already failed when its request arrived", async () => {
    const [sku] = (await stockedSkus(1, 10)) as [string];
    const orderId = `order-${randomUUID()}`;
    await bed.handlers.SagaFailed(
      {
        eventId: randomUUID(),
        occurredAt: Date.now(),
        orderId,
        failedStep: "inventory",
        reason: "inventory step timed out",
        status: "CANCELLED_INVENTORY_FAILED",
      },
      bed.context(orderId, "SagaFailed"),
    );
    await reserve(orderId, [{ sku, quantity: 2 }]);

    expect(await reservedOf([sku])).toEqual({ [sku]: 0 });
    expect(await outboxOf(orderId)).toEqual(["InventoryReservationFailed"]);
  });
});
