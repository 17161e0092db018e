import { describe, expect, it } from "vitest";
import { ApiContract } from "./api-contract.js";
import { apiDocuments } from "./api-descriptions.js";

const documents = apiDocuments();
const ORDER = "http://127.0.0.1:4001";
const TRACKER = "http://127.0.0.1:4005";
const tracker = documents["saga-tracker"];
const contract = ApiContract.of([
  { service: "order", url: ORDER, document: documents.order },
  // Paths in reverse, so /api/sagas/{orderId} comes before /api/sagas/stats.
  {
    service: "saga-tracker",
    url: TRACKER,
    document: { ...tracker, paths: Object.fromEntries(Object.entries(tracker.paths ?? {}).reverse()) },
  },
]);

const at = new Date().toISOString();
const order = {
  orderId: "o-1",
  status: "PLACED",
  fulfilmentStatus: null,
  patientId: "pat-1",
  prescriberId: null,
  items: [{ sku: "IBU-200", quantity: 1, unitPriceCents: 499 }],
  shippingAddress: null,
  currency: "USD",
  cancelReason: null,
  createdAt: at,
  updatedAt: at,
  links: { order: "/api/orders/o-1", saga: `${TRACKER}/api/sagas/o-1` },
};
const problem = (status: number) => ({
  type: "urn:fulfillment:problem:X",
  title: "X",
  status,
  detail: "d",
  instance: "/api/orders/o-1",
});
const json = (body: unknown, status = 200, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": `${type}; charset=utf-8` } });
const check = (method: string, url: string, response: Response) => contract.check(method, url, response);

describe("the contract check of a response against its service's description", () => {
  it("passes a documented answer: the view, a problem, a 204, the probes", async () => {
    await check("GET", `${ORDER}/api/orders/o-1`, json(order));
    await check("GET", `${ORDER}/api/orders?limit=5`, json({ items: [order], nextCursor: null }));
    await check("GET", `${ORDER}/api/orders/o-1`, json(problem(404), 404, "application/problem+json"));
    await check("GET", `${ORDER}/healthz`, json({ status: "ok" }));
    await check(
      "GET",
      `${ORDER}/metrics`,
      new Response("up 1\n", { headers: { "content-type": "text/plain" } }),
    );
  });

  it("fails an added, a renamed or a missing field, naming the operation, status and error", async () => {
    await expect(check("GET", `${ORDER}/api/orders/o-1`, json({ ...order, extra: 1 }))).rejects.toThrow(
      /order getOrdersByOrderId \(GET \/api\/orders\/\{orderId\}\) answered 200 .*additionalProperty.*extra/,
    );
    const { cancelReason, ...renamed } = order;
    await expect(
      check("GET", `${ORDER}/api/orders/o-1`, json({ ...renamed, cancellationReason: cancelReason })),
    ).rejects.toThrow(/must have required property 'cancelReason'/);
    await expect(
      check("GET", `${ORDER}/api/orders/o-1`, json({ ...order, createdAt: "yesterday" })),
    ).rejects.toThrow(/\/createdAt must match format "date-time"/);
  });

  it("fails an undocumented status, a wrong media type and a body where none is documented", async () => {
    await expect(check("POST", `${ORDER}/api/orders`, json(order, 201))).rejects.toThrow(
      /postOrders .* answered 201, which its description does not document/,
    );
    await expect(check("GET", `${ORDER}/api/orders/o-1`, json(problem(404), 404))).rejects.toThrow(
      /as application\/json, where its description documents application\/problem\+json/,
    );
    await expect(check("GET", `${ORDER}/api/orders/o-1`, json(order, 200, "text/html"))).rejects.toThrow(
      /as text\/html/,
    );
  });

  it("tells a literal path from a template, and an unknown path's problem from an undescribed route", async () => {
    const stats = {
      total: 0,
      byStatus: {},
      successRate: null,
      compensationRate: null,
      durationMs: { p50: null, p95: null, p99: null },
    };
    await check("GET", `${TRACKER}/api/sagas/stats`, json(stats));
    await expect(check("GET", `${TRACKER}/api/sagas/stats`, json(order))).rejects.toThrow(/getSagasStats/);
    await check("GET", `${ORDER}/api/nothing-here`, json(problem(404), 404, "application/problem+json"));
    await check("PUT", `${ORDER}/api/`, json(problem(401), 401, "application/problem+json"));
    await expect(
      check("GET", `${ORDER}/api/nothing-here`, json({ status: 404 }, 404, "application/problem+json")),
    ).rejects.toThrow(/GET \/api\/nothing-here \(no operation\) answered 404 .*must have required property/);
    await expect(check("GET", `${ORDER}/api/secret`, json({}))).rejects.toThrow(
      /GET \/api\/secret answered 200, but its API description has no such operation/,
    );
    await expect(check("DELETE", `${ORDER}/api/orders/o-1`, json({}, 200))).rejects.toThrow(
      /no such operation/,
    );
    // The dashboard's pages (outside /api) and other hosts are not described.
    await check("GET", `${TRACKER}/auth/sign-in`, new Response("<p>", { status: 303 }));
    await check("GET", "http://127.0.0.1:9/api/orders", json({}, 500));
  });
});
