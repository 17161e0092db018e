/**
 * The participants' promises, end to end: the prescription service's formulary refusals and its
 * API, the inventory service's all-or-nothing reservation and its restock API, the shipment
 * service's destinations (countries and regions) and a reservation that arrives before the
 * address. Where an arrival order matters, the test produces the early record itself.
 */
import { randomUUID } from "node:crypto";
import type { Role } from "@fulfillment/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, get, json, placeOrder, orderBody, placeValidOrder, sagaReaching, stockedDrug } from "./api.js";
import { produceAs, rowsOf } from "./inside-access.js";
import { startSystem, type RunningSystem } from "./system.js";
import { recordsAbout } from "./topics.js";

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

interface Problem {
  title: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

const send = (url: string, method: string, role: Role, body?: unknown) =>
  call(system, url, {
    method,
    role,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });

const stockOf = (sku: string) =>
  get<{ sku: string; onHand: number; reserved: number; available: number }>(
    system,
    `${system.url.inventory}/api/inventory/${sku}`,
  );

const prescriptionsOf = async (orderId: string) =>
  (
    await get<{ items: Array<{ status: string; reason: string | null; prescriptionId: string | null }> }>(
      system,
      `${system.url.prescription}/api/prescriptions?orderId=${orderId}`,
    )
  ).items;

const shipmentOf = (orderId: string) =>
  get<{
    status: string;
    trackingNumber: string | null;
    carrier: string | null;
    destinationCountry: string | null;
  }>(system, `${system.url.shipment}/api/shipments/${orderId}`, "logistics");

const reservationsOf = (orderIds: string[]) =>
  rowsOf<{ order_id: string; status: string }>(
    system,
    "inventory",
    "SELECT order_id, status FROM reservations WHERE order_id = ANY($1) ORDER BY order_id",
    [orderIds],
  );

/** A drug of the test's own: on the formulary (over the counter, at most 5 per order), `stock` in stock. */
async function newDrug(stock: number): Promise<string> {
  const sku = `PR-${randomUUID().slice(0, 8)}`;
  await stockedDrug(system, sku, stock);
  return sku;
}

describe("the prescription service", () => {
  it("refuses an order over a drug's quantity limit, or with a drug off the formulary: the saga cancels, nothing is reserved or shipped", async () => {
    const ibuprofenBefore = await stockOf("IBU-200");
    const unknownSku = `NOPE-${randomUUID().slice(0, 8)}`;
    const overLimit = await placeValidOrder(system, {
      items: [
        { sku: "IBU-200", quantity: 4, unitPriceCents: 499 },
        { sku: "IBU-200", quantity: 2, unitPriceCents: 499 },
      ],
    });
    const offFormulary = await placeValidOrder(system, {
      items: [{ sku: unknownSku, quantity: 1, unitPriceCents: 100 }],
    });
    for (const [orderId, reason] of [
      [overLimit, "IBU-200 (Ibuprofen 200 mg tablets): 6 ordered, at most 5 allowed"],
      [offFormulary, `${unknownSku} is not in the formulary`],
    ] as const) {
      const done = await sagaReaching(system, orderId, ["CANCELLED", "COMPENSATION_FAILED"]);
      expect(done.status).toBe("CANCELLED");
      expect(done.failureReason).toBe(reason);
      expect(done.history.map((h) => `${h.step}:${h.status}`).sort()).toEqual([
        "CancelOrder:CONFIRMED",
        "CancelOrder:ISSUED",
        "order:CREATED",
        "prescription:FAILED",
      ]);
      expect((await prescriptionsOf(orderId)).map((p) => [p.status, p.reason, p.prescriptionId])).toEqual([
        ["REJECTED", reason, null],
      ]);
      await expect
        .poll(async () => (await shipmentOf(orderId)).status, { timeout: 15_000 })
        .toBe("CANCELLED");
      expect((await shipmentOf(orderId)).trackingNumber).toBeNull();
    }
    // Nothing reserved: the failed sagas leave the inventory service only a tombstone, so a late
    // request cannot reserve for them either.
    await expect
      .poll(() => reservationsOf([overLimit, offFormulary]), { timeout: 15_000 })
      .toEqual([overLimit, offFormulary].sort().map((order_id) => ({ order_id, status: "VOIDED" })));
    expect(await stockOf("IBU-200")).toEqual(ibuprofenBefore);
    const unknown = await call(system, `${system.url.inventory}/api/inventory/${unknownSku}`);
    expect(unknown.status).toBe(404);
  });

  it("refuses a formulary entry it cannot use with a 400 naming each field, and stores nothing", async () => {
    const sku = `FORM-${randomUUID().slice(0, 8)}`;
    const valid = { name: "Test drug", prescriptionOnly: false, maxQuantity: 5 };
    const cases: Array<[body: unknown, fields: string[]]> = [
      [{ ...valid, name: "  " }, ["name"]],
      [{ ...valid, maxQuantity: 0 }, ["maxQuantity"]],
      [{ ...valid, maxQuantity: 1001 }, ["maxQuantity"]],
      [{ ...valid, maxQuantity: 2.5 }, ["maxQuantity"]],
      [{ ...valid, prescriptionOnly: "no" }, ["prescriptionOnly"]],
      [{ ...valid, color: "blue" }, ["(body)"]],
      [{}, ["name", "prescriptionOnly", "maxQuantity"]],
    ];
    for (const [body, fields] of cases) {
      const response = await send(
        `${system.url.prescription}/api/formulary/${sku}`,
        "PUT",
        "pharmacist",
        body,
      );
      expect(response.status, JSON.stringify(body)).toBe(400);
      const problem = await json<Problem>(response);
      expect(
        problem.errors?.map((e) => e.field),
        JSON.stringify(body),
      ).toEqual(fields);
    }
    const badSku = await send(
      `${system.url.prescription}/api/formulary/bad%20sku!`,
      "PUT",
      "pharmacist",
      valid,
    );
    expect(badSku.status).toBe(400);
    expect((await json<Problem>(badSku)).title).toBe("INVALID_SKU");
    const formulary = await get<{ items: Array<{ sku: string }> }>(
      system,
      `${system.url.prescription}/api/formulary`,
      "pharmacist",
    );
    expect(formulary.items.map((e) => e.sku)).toEqual([
      "AMOX-500",
      "IBU-200",
      "LISIN-10",
      "ORPHAN-1",
      "VITD-1000",
    ]);
  });

  it("voids the prescription of an order cancelled before it arrived, and answers it with a failure", async () => {
    const orderId = `early-rx-cancel-${randomUUID()}`;
    await produceAs(system, "saga-tracker", "CancelPrescription", {
      orderId,
      reason: "cancelled by the test",
    });
    const rowOf = () =>
      rowsOf<{ status: string; prescription_id: string | null }>(
        system,
        "prescription",
        "SELECT status, prescription_id FROM prescriptions WHERE order_id = $1",
        [orderId],
      );
    await expect.poll(rowOf, { timeout: 30_000 }).toEqual([{ status: "VOIDED", prescription_id: null }]);
    const eventId = await produceAs(system, "outside-producer", "OrderCreated", {
      orderId,
      patientId: "pat-late",
      prescriberId: null,
      items: [{ sku: "VITD-1000", quantity: 1, unitPriceCents: 799 }],
      shippingAddress: {
        line1: "1 Main St",
        line2: null,
        city: "Springfield",
        region: "IL",
        postalCode: "62701",
        country: "US",
      },
      currency: "USD",
    });
    // Once the prescription service has handled the late OrderCreated (its inbox holds the event),
    // its decision is committed: still void, no prescription.
    await expect
      .poll(
        async () =>
          (
            await rowsOf(
              system,
              "prescription",
              "SELECT 1 FROM inbox WHERE consumer = 'prescription' AND event_id = $1",
              [eventId],
            )
          ).length,
        { timeout: 30_000 },
      )
      .toBe(1);
    expect(await rowOf()).toEqual([{ status: "VOIDED", prescription_id: null }]);
    expect((await prescriptionsOf(orderId)).map((p) => p.status)).toEqual(["VOIDED"]);
    // The tombstone rule: the step is answered (so nothing waits for its deadline), with nothing issued.
    const answersOf = () => recordsAbout(system, "prescription.events.v1", orderId);
    await expect
      .poll(async () => (await answersOf()).map((a) => a.name).sort(), { timeout: 30_000 })
      .toEqual(["PrescriptionCancelled", "PrescriptionFailed"]);
    const answers = await answersOf();
    expect(answers.find((a) => a.name === "PrescriptionFailed")!.value).toMatchObject({
      reason: "the order was already cancelled by the saga; nothing done",
      rejectedItems: [],
    });
  });
});

describe("the inventory service", () => {
  it("reserves all lines of an order or none: one line short leaves every line's stock as it was", async () => {
    const plenty = await newDrug(10);
    const scarce = await newDrug(1);
    const orderId = await placeValidOrder(system, {
      items: [
        { sku: plenty, quantity: 2, unitPriceCents: 100 },
        { sku: scarce, quantity: 2, unitPriceCents: 100 },
      ],
    });
    const done = await sagaReaching(system, orderId, ["CANCELLED", "COMPENSATION_FAILED"]);
    expect(done.status).toBe("CANCELLED");
    expect(done.failureReason).toBe(`not enough stock: ${scarce} (requested 2, available 1)`);
    expect(await stockOf(plenty)).toEqual({ sku: plenty, onHand: 10, reserved: 0, available: 10 });
    expect(await stockOf(scarce)).toEqual({ sku: scarce, onHand: 1, reserved: 0, available: 1 });
    expect(await reservationsOf([orderId])).toEqual([{ order_id: orderId, status: "REJECTED" }]);
  });

  it("sells scarce stock to no more orders than it has when the reservations overlap", async () => {
    const stock = 3;
    const sku = await newDrug(stock);
    // Each write to this SKU's stock row takes 200 ms, so the reservations of concurrent orders
    // overlap for certain: a reservation that decided from a level it had not locked would
    // oversell. (The database is the inventory service's own; the trigger is this test's fault.)
    await rowsOf(
      system,
      "inventory",
      `CREATE FUNCTION slow_stock_write() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END $$;
       CREATE TRIGGER slow_stock_write BEFORE UPDATE ON stock FOR EACH ROW
         WHEN (NEW.sku = '${sku}') EXECUTE FUNCTION slow_stock_write();`,
    );
    try {
      const orderIds = await Promise.all(
        Array.from({ length: 16 }, () =>
          placeValidOrder(system, { items: [{ sku, quantity: 1, unitPriceCents: 100 }] }),
        ),
      );
      const outcomes = await Promise.all(
        orderIds.map((id) =>
          sagaReaching(system, id, ["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"], 120_000),
        ),
      );
      expect(outcomes.filter((s) => s.status === "COMPLETED")).toHaveLength(stock);
      expect(outcomes.filter((s) => s.status === "CANCELLED")).toHaveLength(orderIds.length - stock);
    } finally {
      await rowsOf(
        system,
        "inventory",
        "DROP TRIGGER slow_stock_write ON stock; DROP FUNCTION slow_stock_write()",
      );
    }
    expect(await stockOf(sku)).toEqual({ sku, onHand: stock, reserved: stock, available: 0 });
    const reserved = await rowsOf<{ count: string }>(
      system,
      "inventory",
      "SELECT count(*) FROM reservations WHERE status = 'RESERVED' AND lines @> $1::jsonb",
      [JSON.stringify([{ sku }])],
    );
    expect(reserved).toEqual([{ count: String(stock) }]);
  });

  it("holds no more reserved than on hand at the database itself, whoever writes the row (no_oversell)", async () => {
    // The concurrent-orders test (entry-and-resilience) proves the outcome; this proves the last
    // guard under the row locks: a write past the stock on hand is refused by PostgreSQL.
    const sku = await newDrug(2);
    await expect(
      rowsOf(system, "inventory", "UPDATE stock SET reserved = on_hand + 1 WHERE sku = $1", [sku]),
    ).rejects.toMatchObject({ code: "23514", constraint: "no_oversell" });
    expect(await stockOf(sku)).toEqual({ sku, onHand: 2, reserved: 0, available: 2 });
  });

  it("refuses a restock it cannot apply with a 400 naming the field, and answers 404 for a SKU it has no stock of", async () => {
    const sku = await newDrug(3);
    const cases: Array<[body: unknown, fields: string[]]> = [
      [{ quantity: 0 }, ["quantity"]],
      [{ quantity: -1 }, ["quantity"]],
      [{ quantity: 1.5 }, ["quantity"]],
      [{ quantity: "5" }, ["quantity"]],
      [{ quantity: 1_000_001 }, ["quantity"]],
      [{}, ["quantity"]],
      [{ quantity: 1, note: "x" }, ["(body)"]],
    ];
    for (const [body, fields] of cases) {
      const response = await send(
        `${system.url.inventory}/api/inventory/${sku}/restock`,
        "POST",
        "inventory-manager",
        body,
      );
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(
        (await json<Problem>(response)).errors?.map((e) => e.field),
        JSON.stringify(body),
      ).toEqual(fields);
    }
    const badSku = await send(
      `${system.url.inventory}/api/inventory/bad%20sku!/restock`,
      "POST",
      "inventory-manager",
      {
        quantity: 1,
      },
    );
    expect(badSku.status).toBe(400);
    expect((await json<Problem>(badSku)).title).toBe("INVALID_SKU");
    expect(await stockOf(sku)).toEqual({ sku, onHand: 3, reserved: 0, available: 3 });
    const unknown = await call(system, `${system.url.inventory}/api/inventory/NEVER-STOCKED-1`, {
      role: "inventory-manager",
    });
    expect(unknown.status).toBe(404);
    expect((await json<Problem>(unknown)).title).toBe("SKU_NOT_FOUND");
  });
});

describe("the shipment service", () => {
  const destinations = async () =>
    (await get<{ items: string[] }>(system, `${system.url.shipment}/api/destinations`, "patient")).items;

  it("lists, adds and removes destinations (countries or country-regions), refusing a malformed code", async () => {
    const seeded = ["AT", "BE", "CA", "DE", "FR", "GB", "IE", "NL", "US"];
    expect(await destinations()).toEqual(seeded);
    for (let i = 0; i < 2; i += 1) {
      const added = await send(`${system.url.shipment}/api/destinations/mx-jal`, "PUT", "logistics");
      expect(added.status).toBe(204);
    }
    expect(await destinations()).toEqual([...seeded.slice(0, 7), "MX-JAL", ...seeded.slice(7)]);
    for (const code of ["USA", "U", "US-", "US-ABCD", "US_CA", "12"]) {
      const refused = await send(`${system.url.shipment}/api/destinations/${code}`, "PUT", "logistics");
      expect(refused.status, code).toBe(400);
      expect((await json<Problem>(refused)).title, code).toBe("INVALID_DESTINATION");
    }
    const removed = await send(`${system.url.shipment}/api/destinations/MX-JAL`, "DELETE", "logistics");
    expect(removed.status).toBe(204);
    expect(await destinations()).toEqual(seeded);
  });

  it("ships to a served region of a country listed by region, and refuses its other regions", async () => {
    expect((await send(`${system.url.shipment}/api/destinations/MX-JAL`, "PUT", "logistics")).status).toBe(
      204,
    );
    const mexico = (region: string) => ({
      shippingAddress: { line1: "Av. 1", city: "Ciudad", region, postalCode: "44100", country: "MX" },
    });
    const served = await placeValidOrder(system, mexico("JAL"));
    const unserved = await placeValidOrder(system, mexico("CMX"));
    expect((await sagaReaching(system, served, ["COMPLETED", "CANCELLED"])).status).toBe("COMPLETED");
    const shipped = await shipmentOf(served);
    expect([shipped.status, shipped.carrier, shipped.destinationCountry]).toEqual(["INITIATED", "DHL", "MX"]);
    const refused = await sagaReaching(system, unserved, ["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"]);
    expect([refused.status, refused.failureReason]).toEqual([
      "CANCELLED",
      "destination MX-CMX is not serviceable",
    ]);
    expect((await shipmentOf(unserved)).status).toBe("FAILED");
  });

  it("keeps a reservation that arrives before the order's address, and ships with it once the address comes", async () => {
    const orderId = `reserved-first-${randomUUID()}`;
    const reservationId = `res-early-${randomUUID()}`;
    await produceAs(system, "inventory", "InventoryReserved", {
      orderId,
      reservationId,
      lines: [{ sku: "IBU-200", quantity: 1 }],
    });
    await expect
      .poll(
        async () => {
          const response = await call(system, `${system.url.shipment}/api/shipments/${orderId}`, {
            role: "logistics",
          });
          return response.status === 200
            ? (await json<{ status: string }>(response)).status
            : response.status;
        },
        { timeout: 30_000 },
      )
      .toBe("AWAITING_ADDRESS");
    expect((await shipmentOf(orderId)).destinationCountry).toBeNull();
    const placed = await placeOrder(system, orderBody({ orderId }));
    expect(placed.status).toBe(202);
    await expect.poll(async () => (await shipmentOf(orderId)).status, { timeout: 30_000 }).toBe("INITIATED");
    const row = await rowsOf<{ reservation_id: string; carrier: string }>(
      system,
      "shipment",
      "SELECT reservation_id, carrier FROM shipments WHERE order_id = $1",
      [orderId],
    );
    expect(row).toEqual([{ reservation_id: reservationId, carrier: "UPS" }]);
    expect((await shipmentOf(orderId)).destinationCountry).toBe("US");
    expect(
      (await sagaReaching(system, orderId, ["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"])).status,
    ).toBe("COMPLETED");
  });
});
