/** What a user of the system does over HTTP, for the e2e tests. */
import { expect } from "vitest";
import type { Role } from "@fulfillment/identity";
import type { RunningSystem } from "./system.js";

export interface SagaView {
  orderId: string;
  status: string;
  currentStep: string | null;
  history: Array<{ step: string; status: string; message: string; timestamp: string }>;
  compensations: Array<{
    command: string;
    status: string;
    issuedAt: string | null;
    confirmedAt: string | null;
  }>;
  startedAt: string;
  completedAt: string | null;
  failureReason: string | null;
}

export const FINAL = ["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"];

export async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON from ${response.url} (${response.status}), got: ${text.slice(0, 200)}`);
  }
}

export function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    patientId: "pat-e2e",
    prescriberId: "dr-e2e",
    items: [{ sku: "IBU-200", quantity: 1, unitPriceCents: 499 }],
    shippingAddress: {
      line1: "1 Main St",
      city: "Springfield",
      region: "IL",
      postalCode: "62701",
      country: "US",
    },
    ...overrides,
  };
}

/** The ordering client the e2e suite places orders as. */
export const SHOP = "e2e-shop";

/**
 * A request as it is sent, with no token added; its response is checked against the service's
 * API description (api-contract.ts), so an undocumented status or body fails the calling test.
 */
export async function checkedFetch(
  system: RunningSystem,
  url: string,
  init: RequestInit = {},
): Promise<Response> {
  const response = await fetch(url, init);
  await system.contract.check(init.method ?? "GET", url, response);
  return response;
}

/** A request as `role` (a token of the system's issuer), checked as checkedFetch checks it. */
export async function call(
  system: RunningSystem,
  url: string,
  init: RequestInit & { role?: Role; subject?: string } = {},
): Promise<Response> {
  const { role = "operator", subject, headers, ...rest } = init;
  const token = await system.token(role, subject);
  return checkedFetch(system, url, { ...rest, headers: { authorization: `Bearer ${token}`, ...headers } });
}

export async function placeOrder(
  system: RunningSystem,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(system, `${system.url.order}/api/orders`, {
    method: "POST",
    role: "ordering-client",
    subject: SHOP,
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Places a valid order and returns its id. */
export async function placeValidOrder(
  system: RunningSystem,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const response = await placeOrder(system, orderBody(overrides));
  expect(response.status).toBe(202);
  return (await json<{ orderId: string }>(response)).orderId;
}

export async function saga(system: RunningSystem, orderId: string): Promise<SagaView | null> {
  const response = await call(
    system,
    `${system.url["saga-tracker"]}/api/sagas/${encodeURIComponent(orderId)}`,
  );
  return response.status === 404 ? null : json<SagaView>(response);
}

/** Waits until the order's saga reaches one of `statuses`, and returns it; fails with the last status seen. */
export async function sagaReaching(
  system: RunningSystem,
  orderId: string,
  statuses: string[],
  timeoutMs = 60_000,
): Promise<SagaView> {
  const until = Date.now() + timeoutMs;
  let last: SagaView | null = null;
  while (Date.now() < until) {
    last = await saga(system, orderId);
    if (last && statuses.includes(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `saga ${orderId} did not reach ${statuses.join(" or ")} within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`,
  );
}

/** GETs a URL as `role` (an operator unless told) and expects 200. */
export async function get<T>(system: RunningSystem, url: string, role: Role = "operator"): Promise<T> {
  const response = await call(system, url, { role });
  expect(response.status, url).toBe(200);
  return json<T>(response);
}

/** A drug of the test's own, on the formulary (over the counter, at most 5 per order) and in stock. */
export async function stockedDrug(system: RunningSystem, sku: string, quantity: number): Promise<void> {
  const formulary = await call(system, `${system.url.prescription}/api/formulary/${sku}`, {
    method: "PUT",
    role: "pharmacist",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `Test drug ${sku}`, prescriptionOnly: false, maxQuantity: 5 }),
  });
  expect(formulary.status).toBe(200);
  const restock = await call(system, `${system.url.inventory}/api/inventory/${sku}/restock`, {
    method: "POST",
    role: "inventory-manager",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ quantity }),
  });
  expect(restock.status).toBe(200);
}
