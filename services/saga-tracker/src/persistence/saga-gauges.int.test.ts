/**
 * The gauges the tracker reads from its database at each scrape, on a real PostgreSQL: open
 * sagas by status, those past their deadline and by how long, and those needing an operator.
 */
import { randomUUID } from "node:crypto";
import { migrationSource } from "@fulfillment/outbox";
import { createLogger } from "@fulfillment/runtime";
import { createTestDatabase, testEndpoints, type TestDatabase } from "@fulfillment/testing";
import knexFactory, { type Knex } from "knex";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFacts } from "../application/record-facts.js";
import { SagaMetrics } from "../application/saga-metrics.js";
import type { Fact } from "../domain/facts.js";
import { migrations } from "./migrations.js";
import { sagaGauges } from "./saga-gauges.js";

let database: TestDatabase;
let knex: Knex;
beforeAll(async () => {
  database = await createTestDatabase(testEndpoints().postgresUrl, "tracker_saga_gauges");
  knex = knexFactory({ client: "pg", connection: database.url, pool: { min: 0, max: 4 } });
  await knex.migrate.latest({ migrationSource: migrationSource(migrations) });
});
afterAll(async () => {
  await knex?.destroy();
  await database?.drop();
});

const DEADLINES = {
  steps: { prescription: 60_000, inventory: 60_000, shipment: 60_000 },
  compensation: 60_000,
};

/** Records facts for a saga as the tracker would have `agoMs` ago. */
async function sagaWith(agoMs: number, ...facts: Fact[]): Promise<string> {
  const orderId = randomUUID();
  const at = new Date(Date.now() - agoMs);
  await knex.transaction((trx) =>
    recordFacts(
      trx,
      orderId,
      facts.map((fact) => ({ ...fact, recordedAt: at.getTime(), message: fact.kind })),
      {
        deadlines: DEADLINES,
        logger: createLogger("saga-gauges-test", "silent"),
        metrics: new SagaMetrics(new Registry()),
        now: () => at,
      },
    ),
  );
  return orderId;
}

/** The value of each series the registry exposes, by name and label text. */
async function scrape(registry: Registry): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const match of (await registry.metrics()).matchAll(/^(\w+)(\{[^}]*\})? (\S+)$/gm))
    found[`${match[1]}${match[2] ?? ""}`] = Number(match[3]);
  return found;
}

describe("the tracker's database gauges", () => {
  it("count open sagas by status, those past their deadline and by how long, and those needing an operator", async () => {
    const registry = new Registry();
    sagaGauges(registry, knex, () => new Date());
    // Placed 10 minutes ago, no answer: 9 minutes past the prescription deadline.
    await sagaWith(600_000, { kind: "OrderPlaced" });
    // Placed 30 s ago: waiting, within its deadline.
    await sagaWith(30_000, { kind: "OrderPlaced" });
    await sagaWith(30_000, { kind: "OrderPlaced" }, { kind: "StepSucceeded", step: "prescription" });
    // Refused, and its CancelOrder timed out: an operator must act.
    await sagaWith(
      30_000,
      { kind: "OrderPlaced" },
      { kind: "StepFailed", step: "prescription", reason: "no" },
      { kind: "CompensationTimedOut", compensation: "CancelOrder" },
    );
    // Completed: not open.
    await sagaWith(
      30_000,
      { kind: "OrderPlaced" },
      { kind: "StepSucceeded", step: "prescription" },
      { kind: "StepSucceeded", step: "inventory" },
      { kind: "StepSucceeded", step: "shipment" },
    );
    const found = await scrape(registry);
    expect({
      pendingPrescription: found['sagas_open{status="PENDING_PRESCRIPTION"}'],
      pendingInventory: found['sagas_open{status="PENDING_INVENTORY_RESERVATION"}'],
      pendingShipment: found['sagas_open{status="PENDING_SHIPMENT"}'],
      compensationFailed: found['sagas_open{status="COMPENSATION_FAILED"}'],
      needingOperator: found.sagas_needing_operator,
      pastDeadline: found.sagas_past_deadline,
      failures: found['metric_read_failures_total{metric="sagas_open"}'],
    }).toEqual({
      pendingPrescription: 2,
      pendingInventory: 1,
      pendingShipment: 0,
      compensationFailed: 1,
      needingOperator: 1,
      pastDeadline: 1,
      failures: 0,
    });
    expect(found.saga_deadline_overdue_seconds).toBeGreaterThanOrEqual(540);
    expect(found.saga_deadline_overdue_seconds).toBeLessThan(560);
  });
});
