import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, get, placeValidOrder, sagaReaching } from "./api.js";
import { startSystem, type RunningSystem } from "./system.js";

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
    expect(done.history.map((h) => `${h.step}:${h.status}`)).toEqual([
      "order:CREATED",
      "prescription:SUCCEEDED",
      "inventory:SUCCEEDED",
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
    const original = await get<{ items: Array<{ orderId: string; status: string }> }>(
      system,
      `${system.url["saga-tracker"]}/api/sagas?limit=200`,
    );
    expect(original.items.length).toBeGreaterThanOrEqual(4);
    const stockBefore = await get<{ items: unknown[] }>(system, `${system.url.inventory}/api/inventory`);
    const ordersBefore = await Promise.all(original.items.map((s) => orderOf(s.orderId)));
    // A second tracker with an empty database and a new consumer group reads every topic from the start.
    // Its group starts with the tracker's own (behind the prefix): the only groups its ACLs allow.
    const rebuilt = await system.startInstance("saga-tracker", {
      CONSUMER_GROUP: `${system.topicPrefix}saga-tracker-rebuild`,
    });
    for (const saga of original.items) {
      await expect
        .poll(
          async () =>
            (
              (await call(system, `${rebuilt}/api/sagas/${saga.orderId}`).then((r) =>
                r.ok ? r.json() : null,
              )) as {
                status: string;
              } | null
            )?.status,
          {
            timeout: 60_000,
          },
        )
        .toBe(saga.status);
    }
    // Commands it sends again carry the original event ids: the services' inboxes absorb them.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await get<{ items: unknown[] }>(system, `${system.url.inventory}/api/inventory`)).toEqual(
      stockBefore,
    );
    expect(await Promise.all(original.items.map((s) => orderOf(s.orderId)))).toEqual(ordersBefore);
  });
});
