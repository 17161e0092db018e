/**
 * Two deadline scanners over one real database, as two tracker instances run them: a saga one of
 * them holds is skipped by the other (SKIP LOCKED), never waited for, and every saga past its
 * deadline is timed out exactly once.
 */
import { randomUUID } from "node:crypto";
import { migrationSource } from "@fulfillment/outbox";
import { createLogger, type Worker } from "@fulfillment/runtime";
import { createTestDatabase, testEndpoints, type TestDatabase } from "@fulfillment/testing";
import knexFactory, { type Knex } from "knex";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../persistence/migrations.js";
import { deadlineScanner } from "./deadline-scanner.js";
import { recordFacts, type RecordFactsDeps } from "./record-facts.js";
import { SagaMetrics } from "./saga-metrics.js";

let database: TestDatabase;
const pools: Knex[] = [];
const pool = () => {
  const knex = knexFactory({ client: "pg", connection: database.url, pool: { min: 0, max: 4 } });
  pools.push(knex);
  return knex;
};

beforeAll(async () => {
  database = await createTestDatabase(testEndpoints().postgresUrl, "tracker_deadline_scanner");
  await pool().migrate.latest({ migrationSource: migrationSource(migrations) });
});
afterAll(async () => {
  await Promise.all(pools.map((knex) => knex.destroy()));
  await database?.drop();
});

const DEADLINES = {
  steps: { prescription: 1_000, inventory: 1_000, shipment: 1_000 },
  compensation: 600_000,
};

/** What one tracker instance gives its scanner: its own metrics, the real clock. */
function trackerDeps(registry = new Registry()): RecordFactsDeps {
  return {
    deadlines: DEADLINES,
    logger: createLogger("deadline-scanner-test", "silent"),
    metrics: new SagaMetrics(registry),
    now: () => new Date(),
  };
}

/** A saga whose order was placed `agoMs` ago and that has heard nothing since: its prescription step is overdue. */
async function overdueSaga(knex: Knex, orderId: string, agoMs: number): Promise<void> {
  const placedAt = new Date(Date.now() - agoMs);
  await knex.transaction((trx) =>
    recordFacts(
      trx,
      orderId,
      [{ kind: "OrderPlaced", recordedAt: placedAt.getTime(), message: "order placed" }],
      {
        ...trackerDeps(),
        now: () => placedAt,
      },
    ),
  );
}

const timedOutSagas = async (knex: Knex) =>
  (
    (await knex("saga_facts").where({ fact_key: "StepTimedOut:prescription" }).pluck("order_id")) as string[]
  ).sort();

describe("two deadline scanners over one database", () => {
  it("skip the saga another holds instead of waiting for it, and time out every overdue saga exactly once", async () => {
    const db = pool();
    const run = randomUUID().slice(0, 8);
    // The held saga is the most overdue: a scanner that waited for locks would stop at it first.
    const held = `held-${run}`;
    const others = Array.from({ length: 9 }, (_, i) => `due-${run}-${i}`);
    await overdueSaga(db, held, 120_000);
    for (const orderId of others) await overdueSaga(db, orderId, 60_000);

    // Another instance is mid-scan on the held saga: its row is locked until that transaction ends.
    const other = await db.transaction();
    await other("sagas").where({ order_id: held }).forUpdate().select("order_id");

    const registries = [new Registry(), new Registry()];
    const scanners: Worker[] = registries.map((registry) =>
      deadlineScanner(pool(), trackerDeps(registry), 50),
    );
    await Promise.all(scanners.map((scanner) => scanner.start()));
    try {
      await expect
        .poll(() => timedOutSagas(db), { timeout: 15_000, interval: 100 })
        .toEqual([...others].sort());
      await other.commit();
      await expect
        .poll(() => timedOutSagas(db), { timeout: 15_000, interval: 100 })
        .toEqual([held, ...others].sort());
    } finally {
      if (!other.isCompleted()) await other.rollback();
      await Promise.all(scanners.map((scanner) => scanner.stop()));
    }

    // Exactly once: one timeout counted over both instances per saga, one CancelOrder sent per saga.
    const counted = async (metric: string, labels: Record<string, string>) => {
      const values = await Promise.all(
        registries.map(
          async (registry) =>
            (await registry.getSingleMetric(metric)?.get())?.values.find((v) =>
              Object.entries(labels).every(([name, value]) => v.labels[name] === value),
            )?.value ?? 0,
        ),
      );
      return values.reduce((a, b) => a + b, 0);
    };
    expect({
      stepFailures: await counted("saga_step_failures_total", {
        step: "prescription",
        reason_class: "timeout",
      }),
      timeouts: await counted("saga_timeouts_total", { waiting_for: "prescription" }),
    }).toEqual({ stepFailures: 10, timeouts: 10 });
    // The first compensation of a timed-out prescription step: undo a late prescription.
    const commands = await db("outbox")
      .whereIn("message_type", ["CancelOrder", "CancelPrescription", "ReleaseInventory"])
      .orderBy("message_key")
      .select<Array<{ message_key: string; message_type: string }>>("message_key", "message_type");
    expect(commands.map((c) => [c.message_key, c.message_type])).toEqual(
      [held, ...others].sort().map((id) => [id, "CancelPrescription"]),
    );
    const statuses = (await db("sagas").distinct("status").pluck("status")) as string[];
    expect(statuses).toEqual(["CANCELLED_PRESCRIPTION_FAILED"]);
  });
});
