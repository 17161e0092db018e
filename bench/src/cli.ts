// pnpm bench: offers orders to the running system at fixed rates (open loop), watches the sagas
// end on the lifecycle topic, and reports latency, throughput, CPU per saga for every process and
// relay lag beside the machine's own floor (pgbench, a kafkajs ping-pong) measured in the same run.
// scripts/bench.sh starts what it needs; see the README. Bounded in count and time; local only.
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cpuBetween, cpuMillisByTree } from "./cpu.js";
import { kafkaPingPong, pgbenchFloor } from "./floor.js";
import { CompletionWatcher, offerOrders } from "./load.js";
import { renderMarkdown, type BenchResult, type StepResult } from "./report.js";
import { bucketQuantile, bucketsBetween, highestSustained, latencyOf, parseHistogram } from "./stats.js";
import {
  committedTransactions,
  findSystem,
  recordsWritten,
  scrapeMetrics,
  type SystemUnderTest,
} from "./system.js";

const repoRoot = resolve(import.meta.dirname, "../..");
const { values: args } = parseArgs({
  options: {
    rates: { type: "string", default: "1,100,300,500,700,1000" },
    seconds: { type: "string", default: "20" },
    "drain-seconds": { type: "string", default: "30" },
    out: { type: "string", default: join(repoRoot, "bench", "results") },
  },
});
const rates = args.rates.split(",").map(Number);
const seconds = Number(args.seconds);
const drainSeconds = Number(args["drain-seconds"]);
if (rates.some((r) => !(r > 0 && r <= 5_000)) || !(seconds > 0 && seconds <= 300)) {
  throw new Error(
    "--rates takes rates from 1 to 5000 per second, --seconds from 1 to 300: fix the arguments",
  );
}

function token(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the benchmark with pnpm bench, which mints the tokens`);
  return value;
}
const ORDER_URL = "http://127.0.0.1:3001";
const INVENTORY_URL = "http://127.0.0.1:3003";
const SKU = "IBU-200";

const progress = (message: string) => console.log(`[bench] ${message}`);

function placeOrder(): Promise<Response> {
  return fetch(`${ORDER_URL}/api/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token("CLIENT_TOKEN")}` },
    body: JSON.stringify({
      patientId: "pat-bench",
      prescriberId: "dr-bench",
      items: [{ sku: SKU, quantity: 1, unitPriceCents: 499 }],
      shippingAddress: {
        line1: "1 Main St",
        city: "Springfield",
        region: "IL",
        postalCode: "62701",
        country: "US",
      },
    }),
  });
}

async function restock(quantity: number): Promise<void> {
  const response = await fetch(`${INVENTORY_URL}/api/inventory/${SKU}/restock`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token("INVENTORY_TOKEN")}` },
    body: JSON.stringify({ quantity }),
  });
  if (!response.ok)
    throw new Error(`restocking ${SKU} answered ${response.status}: ${await response.text()}`);
}

interface Snapshot {
  cpu: Map<string, number>;
  commits: number;
  records: number;
  metrics: string;
}

async function snapshot(system: SystemUnderTest): Promise<Snapshot> {
  const [commits, records, metrics] = await Promise.all([
    committedTransactions(system.postgresUrl),
    recordsWritten(system.kafka),
    scrapeMetrics(token("OPERATOR_TOKEN")),
  ]);
  return { cpu: cpuMillisByTree(system.processes), commits, records, metrics };
}

async function step(
  system: SystemUnderTest,
  watcher: CompletionWatcher,
  perSecond: number,
): Promise<StepResult> {
  progress(`offering ${perSecond} orders/s for ${seconds} s`);
  const before = await snapshot(system);
  const offered = await offerOrders(perSecond, seconds, placeOrder, watcher);
  const drainUntil = Date.now() + drainSeconds * 1000;
  let settled = watcher.settle(offered.orderIds);
  while (settled.unfinished > 0 && Date.now() < drainUntil) {
    await new Promise((r) => setTimeout(r, 250));
    settled = watcher.settle(offered.orderIds);
  }
  // PostgreSQL publishes its transaction counts at most once a second.
  await new Promise((r) => setTimeout(r, 1_100));
  const after = await snapshot(system);
  const completed = settled.latencies.length - settled.failed;
  const elapsedSeconds = Math.max(seconds, (settled.lastEnd - offered.firstSentAt) / 1000);
  const perSaga = (value: number) => (completed > 0 ? value / completed : Number.NaN);
  const lag = bucketsBetween(
    parseHistogram(before.metrics, "outbox_relay_lag_seconds"),
    parseHistogram(after.metrics, "outbox_relay_lag_seconds"),
  );
  const result: StepResult = {
    offeredPerSecond: perSecond,
    seconds,
    accepted: offered.orderIds.length,
    completed,
    failed: settled.failed,
    unfinished: settled.unfinished,
    refused: Object.fromEntries(offered.refused),
    achievedPerSecond: completed / elapsedSeconds,
    latency: latencyOf(settled.latencies),
    cpuMsPerSaga: Object.fromEntries(
      [...cpuBetween(before.cpu, after.cpu)].map(([part, cpu]) => [part, perSaga(cpu)]),
    ),
    relayLagMs: { p50: bucketQuantile(lag, 0.5) * 1000, p99: bucketQuantile(lag, 0.99) * 1000 },
    commitsPerSaga: perSaga(after.commits - before.commits),
    recordsPerSaga: perSaga(after.records - before.records),
    commitsPerSecond: (after.commits - before.commits) / elapsedSeconds,
  };
  progress(
    `${perSecond}/s offered: ${result.achievedPerSecond.toFixed(1)}/s completed, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.unfinished} unfinished`,
  );
  return result;
}

async function main(): Promise<void> {
  const system = findSystem(repoRoot, process.env);
  const startedAt = new Date().toISOString();
  progress("measuring the floor: pgbench on the system's PostgreSQL");
  const pgbench = await pgbenchFloor(system.postgresUrl, () =>
    cpuMillisByTree(new Map([["pg", system.processes.get("PostgreSQL")!]])).get("pg")!,
  );
  progress(`pgbench: ${pgbench.tps.toFixed(0)} TPS; measuring a kafkajs ping-pong on the system's broker`);
  const pingPong = await kafkaPingPong(system.kafka);
  progress(`Kafka round trip p50 ${pingPong.latency.p50.toFixed(2)} ms`);
  await restock(rates.reduce((sum, r) => sum + Math.ceil(r * seconds), 0));
  const watcher = new CompletionWatcher(system.kafka);
  await watcher.start();
  const steps: StepResult[] = [];
  const skipped: number[] = [];
  try {
    for (const rate of rates) {
      const last = steps.at(-1);
      // A rate the system could not come near leaves nothing to learn from higher ones.
      if (last && (last.unfinished > 0 || last.achievedPerSecond < 0.8 * last.offeredPerSecond)) {
        skipped.push(rate);
        continue;
      }
      steps.push(await step(system, watcher, rate));
    }
  } finally {
    await watcher.stop();
  }
  const result: BenchResult = {
    startedAt,
    machine: { cpus: availableParallelism(), node: process.versions.node },
    floor: { pgbench, kafkaPingPong: pingPong },
    steps,
    skipped,
    highestSustainedP99Within250Ms: highestSustained(steps, 250),
  };
  await mkdir(args.out, { recursive: true });
  const stem = join(args.out, startedAt.replace(/[:.]/g, "-"));
  await writeFile(`${stem}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const markdown = renderMarkdown(result);
  await writeFile(`${stem}.md`, markdown);
  console.log(`\n${markdown}`);
  progress(`results written to ${stem}.json and .md`);
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
