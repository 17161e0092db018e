/**
 * Step and compensation deadlines, end to end. Which of two races a service wins after a deadline
 * is forced, never left to chance. The test holds a lock in the service's own database, so the
 * step's handler waits at a known statement while the deadline passes; the service's consumer
 * fetches nothing else meanwhile. Then either
 * - the lock is released: the late step goes on first, and the saga's answer (a compensation,
 *   SagaFailed) is handled after it; or
 * - the service is restarted while still stuck: it meets the late step and the answer together,
 *   and wherever the late step takes the order's lock first, its session is ended while the answer
 *   waits behind it, so it rolls back, is retried after the answer, and is refused.
 * Each test asserts which path ran: the rows, and the records on the topic.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, placeValidOrder, sagaReaching, stockedDrug, type SagaView } from "./api.js";
import {
  holdLock,
  rowOf,
  terminateSession,
  blockingPids,
  waitingSessions,
  waitUntilWaiting,
  type HeldLock,
  type WaitingSession,
} from "./faults.js";
import { startSystem, type RunningSystem, type ServiceName } from "./system.js";
import { recordsAbout, settled } from "./topics.js";

const STEP_DEADLINE_MS = 6_000;
const COMPENSATION_DEADLINE_MS = 20_000;

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem({
    "saga-tracker": {
      PRESCRIPTION_DEADLINE_MS: String(STEP_DEADLINE_MS),
      INVENTORY_DEADLINE_MS: String(STEP_DEADLINE_MS),
      SHIPMENT_DEADLINE_MS: String(STEP_DEADLINE_MS),
      COMPENSATION_DEADLINE_MS: String(COMPENSATION_DEADLINE_MS),
    },
  });
});
afterAll(async () => {
  await system?.stop();
});

const db = (service: "prescription" | "inventory" | "shipment") => system.databaseUrl(service);

const STOCK_ROW = "SELECT * FROM stock WHERE sku = $1 FOR UPDATE";
/** A prescription row of the order, written and never committed: the service's own insert waits on it. */
const PRESCRIPTION_ROW = `INSERT INTO prescriptions (order_id, status, items, created_at, updated_at)
  VALUES ($1, 'HELD BY TEST', '[]', now(), now())`;

/** The statements the services' handlers wait in, as PostgreSQL shows them. */
const WAITING = {
  stockRows: /from "stock" where "sku" in .* for update/i,
  prescriptionInsert: /insert into "prescriptions"/i,
  shipmentRow: /from "shipments" where "order_id" = .* for update/i,
};

/** An order of 2 units of a drug of the test's own (10 in stock), and that drug's SKU. */
async function newDrug(): Promise<string> {
  const sku = `DL-${randomUUID().slice(0, 8)}`;
  await stockedDrug(system, sku, 10);
  return sku;
}
const orderOf2 = (sku: string, orderId: string = randomUUID()) =>
  placeValidOrder(system, { orderId, items: [{ sku, quantity: 2, unitPriceCents: 100 }] });

const stock = (sku: string) =>
  get<{ onHand: number; reserved: number }>(system, `${system.url.inventory}/api/inventory/${sku}`);
const reservation = (orderId: string) =>
  rowOf<{ status: string; lines: unknown }>(
    db("inventory"),
    "SELECT status, lines FROM reservations WHERE order_id = $1",
    [orderId],
  );
const prescription = (orderId: string) =>
  rowOf<{ status: string; prescription_id: string | null }>(
    db("prescription"),
    "SELECT status, prescription_id FROM prescriptions WHERE order_id = $1",
    [orderId],
  );
const shipment = (orderId: string) =>
  rowOf<{ status: string; tracking_number: string | null }>(
    db("shipment"),
    "SELECT status, tracking_number FROM shipments WHERE order_id = $1",
    [orderId],
  );
const names = async (topic: string, orderId: string) =>
  (await recordsAbout(system, topic, orderId)).map((r) => r.name);
const compensationsOf = (view: SagaView) => view.compensations.map((c) => `${c.command}:${c.status}`);
const stepsOf = (view: SagaView) => view.history.map((h) => `${h.step}:${h.status}`);

/** Runs `body` with a lock held, and releases it whatever happens. */
async function withLock(lock: HeldLock, body: (lock: HeldLock) => Promise<void>): Promise<void> {
  try {
    await body(lock);
  } finally {
    await lock.release();
  }
}

/**
 * Restarts `service`, whose handler is stuck at `stuck` behind the test's lock, so that the answer
 * to the late step wins. The stuck session is ended so the service can stop. Once back, the
 * service meets the late step and the answer at once, and they queue for the order's lock:
 * - the late step (`isLate`) got it first and waits for the test's lock, the answer behind it:
 *   the late step's session is ended, so it rolls back and is retried behind the answer;
 * - the answer got it first and waits for the test's lock, the late step behind it: nothing to do.
 * Then the test's lock is released, and this returns once `answered`.
 */
async function restartSoTheAnswerWins(
  service: ServiceName & ("prescription" | "inventory" | "shipment"),
  lock: HeldLock,
  stuck: RegExp,
  isLate: (session: WaitingSession) => boolean,
  answered: () => Promise<boolean>,
): Promise<void> {
  const [[session] = []] = await waitUntilWaiting(db(service), [[stuck, 1]]);
  const halted = system.halt(service);
  await terminateSession(db(service), session!.pid);
  await halted;
  await system.start(service);
  await expect
    .poll(
      async () => {
        if (await answered()) return true;
        const waiting = await Promise.all(
          (await waitingSessions(db(service))).map(async (s) => ({
            ...s,
            blockers: await blockingPids(db(service), s.pid),
          })),
        );
        const first = waiting.find((s) => s.blockers.length === 1 && s.blockers[0] === lock.pid);
        const behind = first && waiting.filter((s) => s.blockers.includes(first.pid));
        if (!first || !behind?.length) return false; // not both queued yet
        if (isLate(first)) await terminateSession(db(service), first.pid);
        return true;
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBe(true);
  await lock.release();
  await expect.poll(answered, { timeout: 30_000, interval: 100 }).toBe(true);
}

/**
 * Places an order whose reservation reaches the shipment service only once the test holds the
 * order's shipment row: the reservation is held back (the stock row locked) until the address
 * has arrived and the row is locked. Returns the order and the lock on its shipment row.
 */
async function orderStuckAtShipment(sku: string): Promise<{ orderId: string; lock: HeldLock }> {
  const stockLock = await holdLock(db("inventory"), STOCK_ROW, [sku]);
  try {
    const orderId = await orderOf2(sku);
    await expect
      .poll(async () => (await shipment(orderId))?.status, { timeout: 20_000, interval: 50 })
      .toBe("AWAITING_RESERVATION");
    const lock = await holdLock(db("shipment"), "SELECT * FROM shipments WHERE order_id = $1 FOR UPDATE", [
      orderId,
    ]);
    await stockLock.release();
    await waitUntilWaiting(db("shipment"), [[WAITING.shipmentRow, 1]]);
    return { orderId, lock };
  } finally {
    await stockLock.release();
  }
}

describe("a step past its deadline", () => {
  it("inventory: the late reservation goes first, and the release that follows undoes it", async () => {
    const sku = await newDrug();
    await withLock(await holdLock(db("inventory"), STOCK_ROW, [sku]), async (lock) => {
      const orderId = await orderOf2(sku);
      // The reservation waits for the stock row, holding the order's lock.
      await waitUntilWaiting(db("inventory"), [[WAITING.stockRows, 1]]);
      const failing = await sagaReaching(system, orderId, ["CANCELLED_INVENTORY_FAILED"], 30_000);
      expect(failing.failureReason).toBe("inventory step passed its deadline");
      expect(compensationsOf(failing)[0]).toBe("ReleaseInventory:ISSUED");
      await lock.release();

      const done = await sagaReaching(system, orderId, ["CANCELLED"], 30_000);
      expect(compensationsOf(done)).toEqual([
        "ReleaseInventory:CONFIRMED",
        "CancelPrescription:CONFIRMED",
        "CancelOrder:CONFIRMED",
      ]);
      expect(stepsOf(done)).toEqual(expect.arrayContaining(["inventory:TIMED_OUT", "inventory:SUCCEEDED"]));
      await settled(system.topicPrefix, ["inventory"]);
      const records = await recordsAbout(system, "inventory.events.v1", orderId);
      expect(records.map((r) => r.name)).toEqual(["InventoryReserved", "InventoryReleased"]);
      expect(records[1]!.value.lines).toEqual([{ sku, quantity: 2 }]);
      expect((await reservation(orderId))?.status).toBe("RELEASED");
      expect(await stock(sku)).toMatchObject({ onHand: 10, reserved: 0 });
    });
  });

  it("inventory: the release goes first, and the late reservation is refused", async () => {
    const sku = await newDrug();
    await withLock(await holdLock(db("inventory"), STOCK_ROW, [sku]), async (lock) => {
      const orderId = await orderOf2(sku);
      await sagaReaching(system, orderId, ["CANCELLED_INVENTORY_FAILED"], 30_000);
      await restartSoTheAnswerWins(
        "inventory",
        lock,
        WAITING.stockRows,
        (s) => WAITING.stockRows.test(s.query),
        async () => (await reservation(orderId))?.status === "VOIDED",
      );

      const done = await sagaReaching(system, orderId, ["CANCELLED"], 30_000);
      expect(compensationsOf(done)).toEqual([
        "ReleaseInventory:CONFIRMED",
        "CancelPrescription:CONFIRMED",
        "CancelOrder:CONFIRMED",
      ]);
      await settled(system.topicPrefix, ["inventory"]);
      const records = await recordsAbout(system, "inventory.events.v1", orderId);
      expect(records.map((r) => r.name).sort()).toEqual(["InventoryReleased", "InventoryReservationFailed"]);
      expect(records.find((r) => r.name === "InventoryReleased")!.value.lines).toEqual([]);
      expect((await reservation(orderId))?.status).toBe("VOIDED");
      expect(await stock(sku)).toMatchObject({ onHand: 10, reserved: 0 });
    });
  });

  it("prescription: the late prescription is issued and then cancelled, and no stock is reserved for it", async () => {
    const sku = await newDrug();
    const orderId = randomUUID();
    await withLock(await holdLock(db("prescription"), PRESCRIPTION_ROW, [orderId]), async (lock) => {
      await orderOf2(sku, orderId);
      await waitUntilWaiting(db("prescription"), [[WAITING.prescriptionInsert, 1]]);
      const failing = await sagaReaching(system, orderId, ["CANCELLED_PRESCRIPTION_FAILED"], 30_000);
      expect(failing.failureReason).toBe("prescription step passed its deadline");
      // Inventory has heard that the saga failed before the late prescription can reach it.
      await expect.poll(async () => (await reservation(orderId))?.status, { timeout: 20_000 }).toBe("VOIDED");
      await lock.release();

      const done = await sagaReaching(system, orderId, ["CANCELLED"], 30_000);
      expect(compensationsOf(done)).toEqual(["CancelPrescription:CONFIRMED", "CancelOrder:CONFIRMED"]);
      await settled(system.topicPrefix, ["prescription", "inventory", "shipment"]);
      const records = await recordsAbout(system, "prescription.events.v1", orderId);
      expect(records.map((r) => r.name)).toEqual(["PrescriptionCreated", "PrescriptionCancelled"]);
      expect(records[1]!.value.prescriptionId).toBe(records[0]!.value.prescriptionId);
      expect((await prescription(orderId))?.status).toBe("CANCELLED");
      expect(await names("inventory.events.v1", orderId)).toEqual(["InventoryReservationFailed"]);
      expect(await stock(sku)).toMatchObject({ onHand: 10, reserved: 0 });
      expect((await shipment(orderId))?.status).toBe("CANCELLED");
    });
  });

  it("prescription: the cancellation goes first, and no prescription is issued late", async () => {
    const sku = await newDrug();
    const orderId = randomUUID();
    await withLock(await holdLock(db("prescription"), PRESCRIPTION_ROW, [orderId]), async (lock) => {
      await orderOf2(sku, orderId);
      await sagaReaching(system, orderId, ["CANCELLED_PRESCRIPTION_FAILED"], 30_000);
      await restartSoTheAnswerWins(
        "prescription",
        lock,
        WAITING.prescriptionInsert,
        // Both write the order's row; only the prescription step has read the formulary.
        (s) => s.holds.includes("formulary"),
        async () => (await prescription(orderId))?.status === "VOIDED",
      );
      const done = await sagaReaching(system, orderId, ["CANCELLED"], 30_000);
      expect(compensationsOf(done)).toEqual(["CancelPrescription:CONFIRMED", "CancelOrder:CONFIRMED"]);
      await settled(system.topicPrefix, ["prescription"]);
      const records = await recordsAbout(system, "prescription.events.v1", orderId);
      // The late OrderCreated found the tombstone: answered with a failure, like inventory's.
      expect(records.map((r) => r.name).sort()).toEqual(["PrescriptionCancelled", "PrescriptionFailed"]);
      expect(records.find((r) => r.name === "PrescriptionCancelled")!.value.prescriptionId).toBeNull();
      expect(records.find((r) => r.name === "PrescriptionFailed")!.value.rejectedItems).toEqual([]);
      expect((await prescription(orderId))?.status).toBe("VOIDED");
    });
  });

  it("shipment: the saga's failure goes first, and the order is never shipped late", async () => {
    const sku = await newDrug();
    const { orderId, lock: held } = await orderStuckAtShipment(sku);
    await withLock(held, async (lock) => {
      const failing = await sagaReaching(system, orderId, ["CANCELLED_SHIPMENT_FAILED", "CANCELLED"], 30_000);
      expect(failing.failureReason).toBe("shipment step passed its deadline");
      await restartSoTheAnswerWins(
        "shipment",
        lock,
        WAITING.shipmentRow,
        (s) => WAITING.shipmentRow.test(s.query),
        async () => (await shipment(orderId))?.status === "CANCELLED",
      );

      const done = await sagaReaching(system, orderId, ["CANCELLED"], 30_000);
      expect(compensationsOf(done)).toEqual([
        "ReleaseInventory:CONFIRMED",
        "CancelPrescription:CONFIRMED",
        "CancelOrder:CONFIRMED",
      ]);
      await settled(system.topicPrefix, ["shipment"]);
      expect(await names("shipment.events.v1", orderId)).toEqual([]);
      expect(await shipment(orderId)).toEqual({ status: "CANCELLED", tracking_number: null });
      expect(await stock(sku)).toMatchObject({ onHand: 10, reserved: 0 });
    });
  });

  it("shipment: a late shipment cannot be undone, so the saga waits for an operator", async () => {
    const sku = await newDrug();
    const { orderId, lock: held } = await orderStuckAtShipment(sku);
    await withLock(held, async (lock) => {
      // Everything that can be undone is undone before the shipment goes out.
      const cancelled = await sagaReaching(system, orderId, ["CANCELLED"], 40_000);
      expect(compensationsOf(cancelled)).toEqual([
        "ReleaseInventory:CONFIRMED",
        "CancelPrescription:CONFIRMED",
        "CancelOrder:CONFIRMED",
      ]);
      await lock.release();

      const stuck = await sagaReaching(system, orderId, ["COMPENSATION_FAILED"], 30_000);
      expect(stuck.failureReason).toBe("shipment step passed its deadline");
      expect(stepsOf(stuck)).toEqual(expect.arrayContaining(["shipment:TIMED_OUT", "shipment:SUCCEEDED"]));
      await settled(system.topicPrefix, ["shipment"]);
      expect(await names("shipment.events.v1", orderId)).toEqual(["ShipmentInitiated"]);
      expect((await shipment(orderId))?.status).toBe("INITIATED");
    });
  });
});

describe("a compensation past its deadline", () => {
  it("stops the chain where it is: nothing further is undone until an operator acts", async () => {
    const sku = await newDrug();
    await withLock(await holdLock(db("inventory"), STOCK_ROW, [sku]), async () => {
      const orderId = await orderOf2(sku);
      // The reservation is stuck, so the release issued at its deadline is never handled.
      const stuck = await sagaReaching(
        system,
        orderId,
        ["COMPENSATION_FAILED"],
        STEP_DEADLINE_MS + COMPENSATION_DEADLINE_MS + 30_000,
      );
      expect(stuck.failureReason).toBe("inventory step passed its deadline");
      expect(compensationsOf(stuck)).toEqual([
        "ReleaseInventory:TIMED_OUT",
        "CancelPrescription:PENDING",
        "CancelOrder:PENDING",
      ]);
      expect(stuck.currentStep).toBeNull();
      // Nothing after the stuck release was sent: the prescription and the order stand.
      await settled(system.topicPrefix, ["prescription", "order"]);
      expect((await prescription(orderId))?.status).toBe("ISSUED");
      const order = await get<{ status: string }>(system, `${system.url.order}/api/orders/${orderId}`);
      expect(order.status).toBe("PLACED");
      expect(await names("prescription.events.v1", orderId)).toEqual(["PrescriptionCreated"]);
      expect(await names("order.events.v1", orderId)).toEqual(["OrderCreated"]);
    });
  });
});
