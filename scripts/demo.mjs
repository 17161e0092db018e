#!/usr/bin/env node
// Sends one order down each path of the saga through the order service's REST API and prints
// each saga's outcome and compensation chain, as the saga tracker reports them.
// Usage: CLIENT_TOKEN=… OPERATOR_TOKEN=… node scripts/demo.mjs
//   CLIENT_TOKEN: an ordering-client token (pnpm --silent token --role ordering-client --sub demo-shop)
//   OPERATOR_TOKEN: an operator token, to read the sagas (pnpm --silent token --role operator)
//   ORDER_URL and SAGA_TRACKER_URL override the default ports.

const ORDER_URL = process.env.ORDER_URL ?? "http://127.0.0.1:3001";
const TRACKER_URL = process.env.SAGA_TRACKER_URL ?? "http://127.0.0.1:3005";
const { CLIENT_TOKEN, OPERATOR_TOKEN } = process.env;
if (!CLIENT_TOKEN || !OPERATOR_TOKEN) {
  console.error(
    "[demo] set CLIENT_TOKEN and OPERATOR_TOKEN: mint them with pnpm --silent token --role ordering-client and --role operator",
  );
  process.exit(2);
}
const address = { line1: "1 Main St", city: "Springfield", region: "IL", postalCode: "62701", country: "US" };

const scenarios = [
  {
    path: "completed",
    order: {
      patientId: "pat-demo",
      prescriberId: "dr-demo",
      items: [
        { sku: "AMOX-500", quantity: 2, unitPriceCents: 1299 },
        { sku: "IBU-200", quantity: 1, unitPriceCents: 499 },
      ],
      shippingAddress: address,
    },
  },
  {
    path: "prescription failed (prescription-only item, no prescriber)",
    order: {
      patientId: "pat-demo",
      items: [{ sku: "AMOX-500", quantity: 1, unitPriceCents: 1299 }],
      shippingAddress: address,
    },
  },
  {
    path: "inventory failed (ORPHAN-1 is never stocked)",
    order: {
      patientId: "pat-demo",
      items: [{ sku: "ORPHAN-1", quantity: 1, unitPriceCents: 9999 }],
      shippingAddress: address,
    },
  },
  {
    path: "shipment failed (Antarctica is not serviceable)",
    order: {
      patientId: "pat-demo",
      items: [{ sku: "VITD-1000", quantity: 2, unitPriceCents: 799 }],
      shippingAddress: { line1: "McMurdo Station", city: "Ross Island", postalCode: "0000", country: "AQ" },
    },
  },
];

const FINAL = new Set(["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function place(order) {
  const response = await fetch(`${ORDER_URL}/api/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_TOKEN}` },
    body: JSON.stringify(order),
  });
  const body = await response.json();
  if (response.status !== 202)
    throw new Error(`POST /api/orders answered ${response.status}: ${JSON.stringify(body)}`);
  return body.orderId;
}

async function outcome(orderId, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  let saga;
  while (Date.now() < until) {
    const response = await fetch(`${TRACKER_URL}/api/sagas/${orderId}`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    if (response.ok) {
      saga = await response.json();
      if (FINAL.has(saga.status)) return saga;
    }
    await sleep(300);
  }
  throw new Error(
    `saga ${orderId} did not finish within ${timeoutMs} ms (last status ${saga?.status ?? "none"}); check the services' logs in .local/logs/`,
  );
}

async function main() {
  console.log(`[demo] placing ${scenarios.length} orders through ${ORDER_URL}/api/orders …`);
  const placed = [];
  for (const scenario of scenarios) placed.push({ ...scenario, orderId: await place(scenario.order) });
  let ok = true;
  for (const { path, orderId } of placed) {
    const saga = await outcome(orderId);
    const chain =
      saga.compensations.map((c) => `${c.command} (${c.status.toLowerCase()})`).join(" → ") || "none";
    const steps = saga.history.map((h) => `${h.step}:${h.status.toLowerCase()}`).join(", ");
    console.log(
      `\n● ${path}\n  order ${orderId}\n  outcome:       ${saga.status}${saga.failureReason ? ` — ${saga.failureReason}` : ""}\n  compensations: ${chain}\n  history:       ${steps}`,
    );
    const expected = path === "completed" ? "COMPLETED" : "CANCELLED";
    if (saga.status !== expected) ok = false;
  }
  console.log(`\n[demo] follow any saga at ${TRACKER_URL}/api/sagas/<orderId> with an operator token`);
  if (!ok) {
    console.error(
      "[demo] an outcome differs from what its path should give; see .local/logs/ for the services' logs.",
    );
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`[demo] failed: ${error.message}`);
  console.error("[demo] is the system up? Start it with: bash scripts/run.sh");
  process.exit(1);
});
