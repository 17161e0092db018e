#!/usr/bin/env node
// Benchmark: end-to-end saga latency and throughput of a running system (bash scripts/run.sh).
// Places ORDERS orders (default 200) with CONCURRENCY requests in flight (default 20), waits for
// every saga to finish, and reports throughput and latency percentiles: as the client sees it
// (POST → COMPLETED, polled every 50 ms) and as the tracker recorded it (first event → completion).
// Bounded in count and time; talks only to the services on this machine. The APIs need tokens:
//   CLIENT_TOKEN=$(pnpm --silent token --role ordering-client --sub bench) \
//   OPERATOR_TOKEN=$(pnpm --silent token --role operator --sub bench) \
//   INVENTORY_TOKEN=$(pnpm --silent token --role inventory-manager --sub bench) node scripts/bench-saga.mjs
// and the services' per-caller rate limit must allow the polling (RATE_LIMIT_PER_MINUTE).

const ORDER_URL = process.env.ORDER_URL ?? "http://127.0.0.1:3001";
const TRACKER_URL = process.env.SAGA_TRACKER_URL ?? "http://127.0.0.1:3005";
const INVENTORY_URL = process.env.INVENTORY_URL ?? "http://127.0.0.1:3003";
const bearer = (name) => {
  const token = process.env[name];
  if (!token)
    throw new Error(`${name} is not set: mint one with pnpm --silent token (see the top of this file)`);
  return { authorization: `Bearer ${token}` };
};
const ORDERS = Number(process.env.ORDERS ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const TIMEOUT_MS = 120_000;
const FINAL = new Set(["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const order = () => ({
  patientId: "pat-bench",
  prescriberId: "dr-bench",
  items: [{ sku: "IBU-200", quantity: 1, unitPriceCents: 499 }],
  shippingAddress: {
    line1: "1 Main St",
    city: "Springfield",
    region: "IL",
    postalCode: "62701",
    country: "US",
  },
});

async function one() {
  const started = performance.now();
  const response = await fetch(`${ORDER_URL}/api/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer("CLIENT_TOKEN") },
    body: JSON.stringify(order()),
  });
  if (response.status !== 202)
    throw new Error(`POST /api/orders answered ${response.status}: ${await response.text()}`);
  const { orderId } = await response.json();
  const until = Date.now() + TIMEOUT_MS;
  while (Date.now() < until) {
    const saga = await fetch(`${TRACKER_URL}/api/sagas/${orderId}`, { headers: bearer("OPERATOR_TOKEN") });
    if (saga.ok) {
      const body = await saga.json();
      if (FINAL.has(body.status)) {
        return {
          status: body.status,
          clientMs: performance.now() - started,
          trackerMs: Date.parse(body.completedAt) - Date.parse(body.startedAt),
        };
      }
    }
    await sleep(50);
  }
  throw new Error(`saga ${orderId} did not finish within ${TIMEOUT_MS} ms`);
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(0)} ms, p95 ${percentile(s, 95).toFixed(0)} ms, p99 ${percentile(s, 99).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
};

async function main() {
  // Enough stock for the run, so every saga can complete.
  await fetch(`${INVENTORY_URL}/api/inventory/IBU-200/restock`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer("INVENTORY_TOKEN") },
    body: JSON.stringify({ quantity: ORDERS }),
  }).catch(() => undefined);
  console.log(`[bench] ${ORDERS} orders, ${CONCURRENCY} in flight, against ${ORDER_URL}`);
  const results = [];
  let next = 0;
  const started = performance.now();
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    while (next < ORDERS) {
      next += 1;
      results.push(await one());
      if (results.length % 50 === 0) console.log(`[bench] ${results.length}/${ORDERS} sagas finished`);
    }
  });
  await Promise.all(workers);
  const seconds = (performance.now() - started) / 1000;
  const completed = results.filter((r) => r.status === "COMPLETED").length;
  console.log(
    `[bench] ${completed}/${results.length} completed in ${seconds.toFixed(1)} s: ${(results.length / seconds).toFixed(1)} sagas/s`,
  );
  console.log(`[bench] client latency (POST → COMPLETED seen): ${summary(results.map((r) => r.clientMs))}`);
  console.log(
    `[bench] tracker latency (first event → COMPLETED): ${summary(results.map((r) => r.trackerMs))}`,
  );
}

main().catch((error) => {
  console.error(`[bench] failed: ${error.message}. Is the system up? Start it with: bash scripts/run.sh`);
  process.exit(1);
});
