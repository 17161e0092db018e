import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedFetch, get, placeValidOrder, sagaReaching, type SagaView } from "./api.js";
import { startSystem, type RunningSystem } from "./system.js";
import { endOffsets, settled } from "./topics.js";

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

const stockOf = (sku: string) =>
  get<{ onHand: number; reserved: number; available: number }>(
    system,
    `${system.url.inventory}/api/inventory/${sku}`,
  );
const prescriptionOf = async (orderId: string) =>
  (
    await get<{ items: Array<{ status: string }> }>(
      system,
      `${system.url.prescription}/api/prescriptions?orderId=${orderId}`,
    )
  ).items[0];
/** What each service holds, as its operators see it over REST. */
const everyServicesData = async () => ({
  orders: await get<unknown>(system, `${system.url.order}/api/orders?limit=100`),
  prescriptions: await get<unknown>(system, `${system.url.prescription}/api/prescriptions?limit=200`),
  stock: await get<unknown>(system, `${system.url.inventory}/api/inventory`),
  shipments: await get<unknown>(system, `${system.url.shipment}/api/shipments`),
});

const EVENT_TOPICS = [
  "order.events.v1",
  "prescription.events.v1",
  "inventory.events.v1",
  "shipment.events.v1",
];

const orderOf = (orderId: string) =>
  get<{ status: string; fulfilmentStatus: string | null }>(
    system,
    `${system.url.order}/api/orders/${orderId}`,
  );

describe("the fulfillment saga, all services running", () => {
  it("completes an order end to end: prescription, reservation, shipment", async () => {
    const before = await stockOf("IBU-200");
    const orderId = await placeValidOrder(system, {
      items: [{ sku: "IBU-200", quantity: 2, unitPriceCents: 499 }],
    });
    const done = await sagaReaching(system, orderId, ["COMPLETED"]);
    // The history is in the order the tracker recorded the facts; they come from four topics, so
    // e.g. InventoryReserved may be read before the PrescriptionCreated that caused it.
    expect(done.history.map((h) => `${h.step}:${h.status}`).sort()).toEqual([
      "inventory:SUCCEEDED",
      "order:CREATED",
      "prescription:SUCCEEDED",
      "shipment:SUCCEEDED",
    ]);
    expect(done.compensations).toEqual([]);
    expect(done.completedAt).not.toBeNull();
    expect((await stockOf("IBU-200")).reserved).toBe(before.reserved + 2);
    expect((await prescriptionOf(orderId))?.status).toBe("ISSUED");
    expect(
      (await get<{ status: string }>(system, `${system.url.shipment}/api/shipments/${orderId}`)).status,
    ).toBe("INITIATED");
    await expect.poll(async () => (await orderOf(orderId)).status, { timeout: 15_000 }).toBe("FULFILLED");
  });

  it("prescription failed: cancels the order, and nothing else", async () => {
    const before = await stockOf("AMOX-500");
    const orderId = await placeValidOrder(system, {
      prescriberId: null,
      items: [{ sku: "AMOX-500", quantity: 1, unitPriceCents: 1299 }],
    });
    const done = await sagaReaching(system, orderId, ["CANCELLED", "COMPENSATION_FAILED"]);
    expect(done.status).toBe("CANCELLED");
    expect(done.failureReason).toMatch(/AMOX-500.*prescription-only/);
    expect(done.compensations.map((c) => `${c.command}:${c.status}`)).toEqual(["CancelOrder:CONFIRMED"]);
    expect((await prescriptionOf(orderId))?.status).toBe("REJECTED");
    await expect.poll(async () => (await orderOf(orderId)).status, { timeout: 15_000 }).toBe("CANCELLED");
    // Nothing else: no stock reserved, the shipment (known from the order's address) called off
    // without ever being initiated, and only the order's own compensation issued.
    expect(await stockOf("AMOX-500")).toEqual(before);
    const shipment = () =>
      get<{ status: string; trackingNumber?: string | null }>(
        system,
        `${system.url.shipment}/api/shipments/${orderId}`,
      );
    await expect.poll(async () => (await shipment()).status, { timeout: 15_000 }).toBe("CANCELLED");
    expect((await shipment()).trackingNumber ?? null).toBeNull();
    expect(done.history.filter((h) => h.status === "ISSUED").map((h) => h.step)).toEqual(["CancelOrder"]);
  });

  it("inventory failed: cancels the prescription, then the order", async () => {
    const orderId = await placeValidOrder(system, {
      items: [{ sku: "ORPHAN-1", quantity: 1, unitPriceCents: 9999 }],
    });
    const done = await sagaReaching(system, orderId, ["CANCELLED", "COMPENSATION_FAILED"]);
    expect(done.status).toBe("CANCELLED");
    expect(done.failureReason).toMatch(/ORPHAN-1 \(requested 1, available 0\)/);
    expect(done.compensations.map((c) => `${c.command}:${c.status}`)).toEqual([
      "CancelPrescription:CONFIRMED",
      "CancelOrder:CONFIRMED",
    ]);
    const confirmedOrder = done.history.filter((h) => h.status === "CONFIRMED").map((h) => h.step);
    expect(confirmedOrder).toEqual(["CancelPrescription", "CancelOrder"]);
    expect((await prescriptionOf(orderId))?.status).toBe("CANCELLED");
    expect((await orderOf(orderId)).status).toBe("CANCELLED");
  });

  it("shipment failed: releases the reservation, cancels the prescription, then the order", async () => {
    const before = await stockOf("VITD-1000");
    const orderId = await placeValidOrder(system, {
      items: [{ sku: "VITD-1000", quantity: 3, unitPriceCents: 799 }],
      shippingAddress: { line1: "Base 1", city: "McMurdo", postalCode: "0000", country: "AQ" },
    });
    const done = await sagaReaching(system, orderId, ["CANCELLED", "COMPENSATION_FAILED"]);
    expect(done.status).toBe("CANCELLED");
    expect(done.failureReason).toBe("destination AQ is not serviceable");
    expect(done.compensations.map((c) => `${c.command}:${c.status}`)).toEqual([
      "ReleaseInventory:CONFIRMED",
      "CancelPrescription:CONFIRMED",
      "CancelOrder:CONFIRMED",
    ]);
    const steps = done.history.map((h) => `${h.step}:${h.status}`);
    expect(steps.filter((s) => s.endsWith(":ISSUED") || s.endsWith(":CONFIRMED"))).toEqual([
      "ReleaseInventory:ISSUED",
      "ReleaseInventory:CONFIRMED",
      "CancelPrescription:ISSUED",
      "CancelPrescription:CONFIRMED",
      "CancelOrder:ISSUED",
      "CancelOrder:CONFIRMED",
    ]);
    const after = await stockOf("VITD-1000");
    expect(after.reserved).toBe(before.reserved);
    expect((await prescriptionOf(orderId))?.status).toBe("CANCELLED");
    expect((await orderOf(orderId)).status).toBe("CANCELLED");
  });

  it("reports stats and lists sagas by status", async () => {
    const stats = await get<{
      total: number;
      byStatus: Record<string, number>;
      successRate: number;
      compensationRate: number;
      durationMs: { p50: number | null };
    }>(system, `${system.url["saga-tracker"]}/api/sagas/stats`);
    // This file's system is fresh: the four sagas above are all it has seen.
    expect(stats.total).toBe(4);
    expect(stats.byStatus).toEqual({ COMPLETED: 1, CANCELLED: 3 });
    expect(stats.successRate).toBe(0.25);
    expect(stats.compensationRate).toBe(0.75);
    expect(stats.durationMs.p50).toBeGreaterThan(0);
    const cancelled = await get<{ items: Array<{ status: string }> }>(
      system,
      `${system.url["saga-tracker"]}/api/sagas?status=CANCELLED&limit=2`,
    );
    expect(cancelled.items).toHaveLength(2);
    expect(cancelled.items.every((s) => s.status === "CANCELLED")).toBe(true);
  });

  it("rebuilds the tracker's state by replaying the topics, with no second effect anywhere", async () => {
    const sagasOf = async (base: string) => {
      const { items } = await get<{ items: Array<{ orderId: string }> }>(
        system,
        `${base}/api/sagas?limit=200`,
      );
      const full = await Promise.all(
        items.map((s) => get<SagaView>(system, `${base}/api/sagas/${s.orderId}`)),
      );
      // A rebuild records facts at its own times and in its own order (it reads the topics
      // independently), and may see a compensation confirmed before it would have issued it;
      // what each saga is, its facts and its compensations' outcomes must match.
      const key = (entry: { step: string; status: string; message: string }) =>
        `${entry.step}|${entry.status}|${entry.message}`;
      return full
        .map(({ orderId, status, currentStep, failureReason, completedAt, history, compensations }) => ({
          orderId,
          status,
          currentStep,
          failureReason,
          completed: completedAt !== null,
          facts: history
            .filter((entry) => entry.status !== "ISSUED")
            .map(key)
            .sort(),
          compensations: compensations.map(({ command, status: outcome, confirmedAt }) => ({
            command,
            outcome,
            confirmed: confirmedAt !== null,
          })),
        }))
        .sort((a, b) => a.orderId.localeCompare(b.orderId));
    };
    const original = await sagasOf(system.url["saga-tracker"]);
    expect(original).toHaveLength(4);
    await settled(system.topicPrefix, ["order", "prescription", "inventory", "shipment", "saga-tracker"]);
    const effectsBefore = await everyServicesData();
    const eventsBefore = await endOffsets(system.topicPrefix, EVENT_TOPICS);
    // A second tracker with an empty database and a new consumer group reads every topic from the start.
    // Its group starts with the tracker's own (behind the prefix): the only groups its ACLs allow.
    const rebuildGroup = "saga-tracker-rebuild";
    const rebuilt = await system.startInstance("saga-tracker", {
      CONSUMER_GROUP: `${system.topicPrefix}${rebuildGroup}`,
    });
    // Settled: the rebuild read everything, published all it sends again (its outbox is empty),
    // and every service consumed all of that.
    await settled(system.topicPrefix, [rebuildGroup]);
    await expect
      .poll(
        async () =>
          /^outbox_pending_rows\S* (\d+)$/m.exec(
            await (await checkedFetch(system, `${rebuilt}/metrics`)).text(),
          )?.[1],
        {
          timeout: 30_000,
        },
      )
      .toBe("0");
    await settled(system.topicPrefix, ["order", "prescription", "inventory", "shipment"]);
    // The same sagas, to their full histories and compensations...
    expect(await sagasOf(rebuilt)).toEqual(original);
    // ...and no second effect: the commands it sent again carry the original event ids, the
    // services' inboxes absorb them, so no service published anything (no second OrderCancelled,
    // PrescriptionCancelled or InventoryReleased) and no service's data moved.
    expect(await endOffsets(system.topicPrefix, EVENT_TOPICS)).toEqual(eventsBefore);
    expect(await everyServicesData()).toEqual(effectsBefore);
  });
});
