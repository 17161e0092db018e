import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { testEndpoints } from "@fulfillment/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, json, orderBody, placeOrder, sagaReaching } from "./api.js";
import { SERVICES, startSystem, type RunningSystem } from "./system.js";
import { descendsFrom, exportingTo, serviceOf, traceWhen, type ZipkinSpan } from "./zipkin.js";

let system: RunningSystem;
let zipkinUrl: string;

beforeAll(async () => {
  const endpoints = testEndpoints();
  if (!endpoints.zipkinUrl)
    throw new Error(
      "the tracing tests need a Zipkin: run pnpm infra up, or set ZIPKIN_URL with TEST_INFRA=external",
    );
  zipkinUrl = endpoints.zipkinUrl;
  system = await startSystem(exportingTo(zipkinUrl));
});
afterAll(async () => {
  await system?.stop();
});

/** A caller's own trace: the order's spans must join it under this span. */
function callerTraceparent() {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

async function placeTracedOrder(overrides: Record<string, unknown>) {
  const caller = callerTraceparent();
  const response = await placeOrder(system, orderBody(overrides), { traceparent: caller.header });
  expect(response.status).toBe(202);
  const { orderId } = await json<{ orderId: string }>(response);
  return { caller, orderId };
}

const fromEveryService = (spans: readonly ZipkinSpan[]) =>
  SERVICES.every((service) => spans.some((span) => serviceOf(span) === service));
const named = (spans: readonly ZipkinSpan[], service: string, name: string) =>
  spans.filter((span) => serviceOf(span) === service && span.name === name.toLowerCase());

/** What every saga's trace must be: one tree under the caller's span, from all five services, in causal order. */
function expectOneCausalTrace(spans: readonly ZipkinSpan[], callerSpanId: string) {
  expect(new Set(spans.map(serviceOf))).toEqual(new Set(SERVICES));
  const ids = new Set(spans.map((span) => span.id));
  const roots = spans.filter((span) => span.parentId === undefined || !ids.has(span.parentId));
  // Only the order service's server span hangs off the caller's span; nothing starts a trace of its own.
  expect(roots.map((span) => [serviceOf(span), span.kind, span.parentId])).toEqual([
    ["order", "SERVER", callerSpanId],
  ]);
  const [post] = roots;
  const consumers = spans.filter((span) => span.kind === "CONSUMER");
  expect(consumers.length).toBeGreaterThan(0);
  for (const consumer of consumers) expect(consumer.timestamp).toBeGreaterThanOrEqual(post!.timestamp);
  const orderSends = spans.filter(
    (span) => serviceOf(span) === "order" && span.kind === "PRODUCER" && span.name.startsWith("send "),
  );
  const prescriptionConsumers = consumers.filter((span) => serviceOf(span) === "prescription");
  expect(
    prescriptionConsumers.some((consumer) =>
      orderSends.some((send) => descendsFrom(consumer, send.id, spans)),
    ),
  ).toBe(true);
}

describe("tracing: one saga is one trace in Zipkin", () => {
  it("a completed saga: the caller's trace holds spans from all five services in causal order", async () => {
    const { caller, orderId } = await placeTracedOrder({
      items: [{ sku: "IBU-200", quantity: 1, unitPriceCents: 499 }],
    });
    await sagaReaching(system, orderId, ["COMPLETED"]);
    const completedAt = Date.now();
    const { spans, at } = await traceWhen(
      zipkinUrl,
      caller.traceId,
      (found) =>
        fromEveryService(found) &&
        named(found, "saga-tracker", "handle ShipmentInitiated").length > 0 &&
        named(found, "order", "handle SagaCompleted").length > 0,
    );
    console.info(
      `[tracing] completed saga: spans queryable ${at - completedAt} ms after completion (${spans.length} spans)`,
    );
    expectOneCausalTrace(spans, caller.spanId);
    // express and pg are instrumented (ES modules hooked before they load).
    expect(
      spans.some((span) => serviceOf(span) === "order" && span.tags?.["express.type"] !== undefined),
    ).toBe(true);
    expect(spans.some((span) => span.tags?.["db.system.name"] === "postgresql")).toBe(true);

    // A log line written while handling the order carries its trace and span ids.
    const orderLog = system.logFiles().find((file) => file.endsWith(`${system.topicPrefix}order.log`))!;
    const lines = (await readFile(orderLog, "utf8"))
      .split("\n")
      .filter((line) => line.includes(caller.traceId))
      .map((line) => JSON.parse(line) as { trace_id?: string; span_id?: string; orderId?: string });
    expect(lines.length).toBeGreaterThan(0);
    const ids = new Set(spans.map((span) => span.id));
    for (const line of lines) {
      expect(line.trace_id).toBe(caller.traceId);
      expect(ids.has(line.span_id!)).toBe(true);
    }
  });

  it("keeps a patient's id out of the spans of a request that filters by it", async () => {
    const caller = callerTraceparent();
    const response = await call(system, `${system.url.order}/api/orders?patientId=pat-traced&limit=5`, {
      headers: { traceparent: caller.header },
    });
    expect(response.status).toBe(200);
    const { spans } = await traceWhen(zipkinUrl, caller.traceId, (found) =>
      found.some((span) => span.kind === "SERVER"),
    );
    const [server] = spans.filter((span) => span.kind === "SERVER");
    expect(server?.tags?.["url.query"]).toBe("patientId=REDACTED&limit=5");
    expect(JSON.stringify(spans)).not.toContain("pat-traced");
  });

  it("a compensated saga: the release and cancellations are in the same trace", async () => {
    const { caller, orderId } = await placeTracedOrder({
      items: [{ sku: "VITD-1000", quantity: 1, unitPriceCents: 799 }],
      shippingAddress: { line1: "Base 1", city: "McMurdo", postalCode: "0000", country: "AQ" },
    });
    const done = await sagaReaching(system, orderId, ["CANCELLED", "COMPENSATION_FAILED"]);
    expect(done.status).toBe("CANCELLED");
    const { spans } = await traceWhen(
      zipkinUrl,
      caller.traceId,
      (found) =>
        fromEveryService(found) &&
        named(found, "inventory", "handle ReleaseInventory").length > 0 &&
        named(found, "prescription", "handle CancelPrescription").length > 0 &&
        named(found, "order", "handle CancelOrder").length > 0 &&
        named(found, "saga-tracker", "handle OrderCancelled").length > 0,
    );
    expectOneCausalTrace(spans, caller.spanId);
    // Each compensation was issued by the tracker, in this trace, before its participant handled it.
    const issued = spans.filter(
      (span) =>
        serviceOf(span) === "saga-tracker" && span.kind === "PRODUCER" && span.name.startsWith("send "),
    );
    for (const [service, command] of [
      ["inventory", "ReleaseInventory"],
      ["prescription", "CancelPrescription"],
      ["order", "CancelOrder"],
    ] as const) {
      const [handled] = named(spans, service, `handle ${command}`);
      expect(
        issued.some((send) => descendsFrom(handled!, send.id, spans)),
        command,
      ).toBe(true);
    }
  });
});
