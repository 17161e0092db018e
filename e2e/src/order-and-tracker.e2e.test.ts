/**
 * The order service's and the saga tracker's promises over their APIs: lists paged by cursor,
 * ids and idempotency keys, the fulfilment status the order shows, the tombstone a cancellation
 * leaves, and the tracker's metrics. The system is fresh, so every count here is exact: the
 * tracker's tests come first, before any other saga exists.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  checkedFetch,
  FINAL,
  get,
  json,
  orderBody,
  placeOrder,
  placeValidOrder,
  sagaReaching,
  stockedDrug,
} from "./api.js";
import { holdLock } from "./faults.js";
import { metricValue, produceAs, rowsOf } from "./inside-access.js";
import { startSystem, type RunningSystem } from "./system.js";

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Follows nextCursor from the first page to the last; returns every page. */
async function allPages<T>(firstPageUrl: string): Promise<Array<Page<T>>> {
  const pages: Array<Page<T>> = [];
  let url = firstPageUrl;
  for (;;) {
    const page = await get<Page<T>>(system, url);
    pages.push(page);
    if (page.nextCursor === null || pages.length > 20) return pages;
    url = `${firstPageUrl}&cursor=${encodeURIComponent(page.nextCursor)}`;
  }
}

/** Places orders one after another (so each has a time of its own), and waits for their sagas. */
async function placeInTurn(count: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await placeValidOrder(system, overrides));
  await Promise.all(ids.map((id) => sagaReaching(system, id, FINAL)));
  return ids;
}

const problemOf = (response: Response) =>
  json<{ title: string; detail: string; errors?: Array<{ field: string }> }>(response);

const trackerMetrics = async () =>
  (await checkedFetch(system, `${system.url["saga-tracker"]}/metrics`)).text();

describe("the saga tracker", () => {
  const sagaIds: string[] = [];

  it("counts on /metrics exactly the sagas this system ran, once each", async () => {
    sagaIds.push(...(await placeInTurn(2)));
    const rejected = await placeValidOrder(system, {
      prescriberId: null,
      items: [{ sku: "AMOX-500", quantity: 1, unitPriceCents: 1299 }],
    });
    expect((await sagaReaching(system, rejected, FINAL)).status).toBe("CANCELLED");
    sagaIds.push(rejected);
    const text = await trackerMetrics();
    expect({
      completed: metricValue(text, "saga_outcomes_total", { outcome: "completed", failed_step: "none" }),
      compensatedAtPrescription: metricValue(text, "saga_outcomes_total", {
        outcome: "compensated",
        failed_step: "prescription",
      }),
      finished: metricValue(text, "saga_outcomes_total"),
      started: metricValue(text, "saga_started_total"),
      durations: metricValue(text, "saga_duration_seconds_count"),
      compensatedDurations: metricValue(text, "saga_duration_seconds_count", { outcome: "compensated" }),
      prescriptionRejections: metricValue(text, "saga_step_failures_total", {
        step: "prescription",
        reason_class: "rejected",
      }),
      stepFailures: metricValue(text, "saga_step_failures_total"),
      timeouts: metricValue(text, "saga_timeouts_total"),
      cancelOrderIssued: metricValue(text, "saga_compensations_total", {
        compensation: "CancelOrder",
        status: "ISSUED",
      }),
      cancelOrderConfirmed: metricValue(text, "saga_compensations_total", {
        compensation: "CancelOrder",
        status: "CONFIRMED",
      }),
      compensations: metricValue(text, "saga_compensations_total"),
      open: metricValue(text, "sagas_open"),
    }).toEqual({
      completed: 2,
      compensatedAtPrescription: 1,
      finished: 3,
      started: 3,
      durations: 3,
      compensatedDurations: 1,
      prescriptionRejections: 1,
      stepFailures: 1,
      timeouts: 0,
      cancelOrderIssued: 1,
      cancelOrderConfirmed: 1,
      compensations: 2,
      open: 0,
    });
  });

  it("lists sagas page by page, each once, newest first, the last page without a next cursor", async () => {
    sagaIds.push(...(await placeInTurn(4)));
    const base = `${system.url["saga-tracker"]}/api/sagas?limit=3`;
    const pages = await allPages<{ orderId: string; startedAt: string }>(base);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
    const listed = pages.flatMap((p) => p.items);
    expect(listed.map((s) => s.orderId).sort()).toEqual([...sagaIds].sort());
    const starts = listed.map((s) => Date.parse(s.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    // A page size that divides the list: the last full page says there is nothing after it.
    const exact = await get<Page<unknown>>(system, `${system.url["saga-tracker"]}/api/sagas?limit=7`);
    expect([exact.items.length, exact.nextCursor]).toEqual([7, null]);
  });

  it("lists the sagas started since a time, and only those", async () => {
    const all = await get<Page<{ orderId: string; startedAt: string }>>(
      system,
      `${system.url["saga-tracker"]}/api/sagas?limit=50`,
    );
    expect(all.items).toHaveLength(7);
    const third = all.items[2]!;
    const since = await get<Page<{ orderId: string }>>(
      system,
      `${system.url["saga-tracker"]}/api/sagas?since=${encodeURIComponent(third.startedAt)}`,
    );
    expect(since.items.map((s) => s.orderId)).toEqual(all.items.slice(0, 3).map((s) => s.orderId));
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await get<Page<unknown>>(
      system,
      `${system.url["saga-tracker"]}/api/sagas?since=${encodeURIComponent(future)}`,
    );
    expect(none).toEqual({ items: [], nextCursor: null });
  });

  it("answers a malformed cursor or since with a 400 that names the parameter", async () => {
    for (const [query, field] of [
      ["cursor=not-a-cursor", "cursor"],
      [`cursor=${Buffer.from('{"at":"yesterday","id":"x"}').toString("base64url")}`, "cursor"],
      ["since=yesterday", "since"],
      ["since=2026-13-01T00:00:00Z", "since"],
    ] as const) {
      const response = await call(system, `${system.url["saga-tracker"]}/api/sagas?${query}`);
      expect(response.status, query).toBe(400);
      const problem = await problemOf(response);
      expect(
        problem.errors?.map((e) => e.field),
        query,
      ).toEqual([field]);
      expect(problem.detail, query).toMatch(new RegExp(`^${field}: `));
    }
  });
});

describe("the order service", () => {
  it("pages a patient's orders by cursor: each once, no overlap, the last page without a next cursor", async () => {
    const patientId = `pat-paging-${randomUUID().slice(0, 8)}`;
    const placed = await placeInTurn(7, { patientId });
    const base = `${system.url.order}/api/orders?patientId=${patientId}&limit=3`;
    const pages = await allPages<{ orderId: string; createdAt: string }>(base);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
    const listed = pages.flatMap((p) => p.items.map((o) => o.orderId));
    expect(listed).toEqual([...placed].reverse());
    const exact = await get<Page<unknown>>(
      system,
      `${system.url.order}/api/orders?patientId=${patientId}&limit=7`,
    );
    expect([exact.items.length, exact.nextCursor]).toEqual([7, null]);
  });

  it("refuses with 409 an order id the client chose that already exists", async () => {
    const orderId = `client-${randomUUID()}`;
    const first = await placeOrder(system, orderBody({ orderId }));
    expect(first.status).toBe(202);
    expect((await json<{ orderId: string }>(first)).orderId).toBe(orderId);
    const again = await placeOrder(system, orderBody({ orderId, patientId: "pat-other" }));
    expect(again.status).toBe(409);
    expect((await problemOf(again)).title).toBe("ORDER_EXISTS");
    await sagaReaching(system, orderId, ["COMPLETED"]);
    const order = await get<{ patientId: string }>(system, `${system.url.order}/api/orders/${orderId}`);
    expect(order.patientId).toBe("pat-e2e");
  });

  it("makes one order of concurrent requests that share an Idempotency-Key, and answers each with it", async () => {
    const patientId = `pat-idem-${randomUUID().slice(0, 8)}`;
    const keys = Array.from({ length: 8 }, () => randomUUID());
    // Two requests per key, all at once.
    const answers = await Promise.all(
      [...keys, ...keys].map(async (key) => {
        const response = await placeOrder(system, orderBody({ patientId }), { "Idempotency-Key": key });
        const { orderId, replayed } = await json<{ orderId: string; replayed: boolean }>(response);
        return { key, httpStatus: response.status, orderId, replayed };
      }),
    );
    expect(answers.map((a) => a.httpStatus)).toEqual(answers.map(() => 202));
    for (const key of keys) {
      const pair = answers.filter((a) => a.key === key);
      expect(pair[0]!.orderId, key).toBe(pair[1]!.orderId);
      expect(pair.map((a) => a.replayed).sort(), key).toEqual([false, true]);
    }
    const orderIds = [...new Set(answers.map((a) => a.orderId))];
    expect(orderIds).toHaveLength(keys.length);
    await Promise.all(orderIds.map((id) => sagaReaching(system, id, ["COMPLETED"])));
    const listed = await get<Page<{ orderId: string }>>(
      system,
      `${system.url.order}/api/orders?patientId=${patientId}&limit=100`,
    );
    expect(listed.items.map((o) => o.orderId).sort()).toEqual(orderIds.sort());
  });

  it("takes an Idempotency-Key of up to 200 characters and refuses a longer one with a 400 naming it", async () => {
    const longest = await placeOrder(system, orderBody(), { "Idempotency-Key": "k".repeat(200) });
    expect(longest.status).toBe(202);
    await sagaReaching(system, (await json<{ orderId: string }>(longest)).orderId, ["COMPLETED"]);
    const before = await get<Page<unknown>>(system, `${system.url.order}/api/orders?limit=100`);
    const tooLong = await placeOrder(system, orderBody(), { "Idempotency-Key": "k".repeat(201) });
    expect(tooLong.status).toBe(400);
    const problem = await problemOf(tooLong);
    expect(problem.title).toBe("INVALID_IDEMPOTENCY_KEY");
    expect(problem.detail).toMatch(/Idempotency-Key must be 1 to 200 characters/);
    expect(await get<Page<unknown>>(system, `${system.url.order}/api/orders?limit=100`)).toEqual(before);
  });

  it("shows the saga's progress as the order's fulfilment status, up to its final status", async () => {
    const completed = await placeValidOrder(system);
    const cancelled = await placeValidOrder(system, {
      prescriberId: null,
      items: [{ sku: "LISIN-10", quantity: 1, unitPriceCents: 899 }],
    });
    const orderOf = (id: string) =>
      get<{ status: string; fulfilmentStatus: string | null }>(
        system,
        `${system.url.order}/api/orders/${id}`,
      );
    for (const [orderId, sagaStatus, orderStatus] of [
      [completed, "COMPLETED", "FULFILLED"],
      [cancelled, "CANCELLED", "CANCELLED"],
    ] as const) {
      expect((await sagaReaching(system, orderId, FINAL)).status).toBe(sagaStatus);
      await expect
        .poll(
          async () => {
            const { status, fulfilmentStatus } = await orderOf(orderId);
            return { status, fulfilmentStatus };
          },
          { timeout: 15_000 },
        )
        .toEqual({ status: orderStatus, fulfilmentStatus: sagaStatus });
    }
  });

  it("shows a saga midway as the order's fulfilment status while a step is under way", async () => {
    // A drug of the test's own, whose stock row the test holds: the reservation waits for it.
    const sku = `MID-${randomUUID().slice(0, 8)}`;
    await stockedDrug(system, sku, 5);
    const lock = await holdLock(
      system.databaseUrl("inventory"),
      "SELECT 1 FROM stock WHERE sku = $1 FOR UPDATE",
      [sku],
    );
    const orderOf = (id: string) =>
      get<{ status: string; fulfilmentStatus: string | null }>(
        system,
        `${system.url.order}/api/orders/${id}`,
      );
    try {
      const orderId = await placeValidOrder(system, { items: [{ sku, quantity: 1, unitPriceCents: 100 }] });
      await expect
        .poll(async () => (await orderOf(orderId)).fulfilmentStatus, { timeout: 30_000 })
        .toBe("PENDING_INVENTORY_RESERVATION");
      expect((await orderOf(orderId)).status).toBe("PLACED");
      await lock.release();
      await expect
        .poll(async () => orderOf(orderId), { timeout: 30_000 })
        .toMatchObject({ status: "FULFILLED", fulfilmentStatus: "COMPLETED" });
    } finally {
      await lock.release();
    }
  });

  it("leaves a tombstone when CancelOrder arrives before the order: the id can no longer be placed", async () => {
    const orderId = `early-cancel-${randomUUID()}`;
    await produceAs(system, "saga-tracker", "CancelOrder", { orderId, reason: "cancelled by the test" });
    await expect
      .poll(
        () =>
          rowsOf<{ status: string; details: unknown; cancel_reason: string }>(
            system,
            "order",
            "SELECT status, details, cancel_reason FROM orders WHERE order_id = $1",
            [orderId],
          ),
        { timeout: 30_000 },
      )
      .toEqual([{ status: "CANCELLED", details: null, cancel_reason: "cancelled by the test" }]);
    const late = await placeOrder(system, orderBody({ orderId }));
    expect(late.status).toBe(409);
    expect((await problemOf(late)).title).toBe("ORDER_EXISTS");
    // The tombstone is no order anyone can read.
    const read = await call(system, `${system.url.order}/api/orders/${orderId}`);
    expect(read.status).toBe(404);
  });
});
