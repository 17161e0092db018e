import { randomUUID } from "node:crypto";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { decide } from "../domain/decide.js";
import type { Fact, RecordedFact } from "../domain/facts.js";
import { isFinal } from "../domain/saga-definition.js";
import { SagaMetrics } from "./saga-metrics.js";

const at = (fact: Fact): RecordedFact => ({ ...fact, recordedAt: 0, message: "" });

/** Plays facts as the tracker records them, one decision each, confirming every compensation it issues. */
function run(metrics: SagaMetrics, facts: RecordedFact[]): void {
  let known: RecordedFact[] = [];
  const queue = [...facts];
  for (let fact = queue.shift(); fact; fact = queue.shift()) {
    const decision = decide(known, [fact], 0);
    known = [...known, ...decision.added];
    const finished = isFinal(decision.after.status) && decision.before?.status !== decision.after.status;
    metrics.record(decision, finished ? 2 : null);
    for (const compensation of decision.commands)
      queue.push(at({ kind: "CompensationConfirmed", compensation }));
  }
}

async function series(registry: Registry): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const metric of await registry.getMetricsAsJSON())
    for (const value of metric.values) {
      const labels = Object.entries(value.labels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(",");
      found[`${(value as { metricName?: string }).metricName ?? metric.name}{${labels}}`] = value.value;
    }
  return found;
}

const placed = at({ kind: "OrderPlaced" });
const ok = (step: "prescription" | "inventory" | "shipment") => at({ kind: "StepSucceeded", step });

describe("the saga metrics", () => {
  it("count outcomes by the failed step, step failures by reason class, timeouts and durations", async () => {
    const registry = new Registry();
    const metrics = new SagaMetrics(registry);
    run(metrics, [placed, ok("prescription"), ok("inventory"), ok("shipment")]);
    run(metrics, [
      placed,
      at({ kind: "StepFailed", step: "prescription", reason: "AMOX-500 needs a prescriber" }),
    ]);
    run(metrics, [placed, ok("prescription"), at({ kind: "StepTimedOut", step: "inventory" })]);
    const found = await series(registry);
    expect({
      started: found["saga_started_total{}"],
      completed: found["saga_outcomes_total{outcome=completed,failed_step=none}"],
      rejected: found["saga_outcomes_total{outcome=compensated,failed_step=prescription}"],
      timedOut: found["saga_outcomes_total{outcome=compensated,failed_step=inventory}"],
      rejections: found["saga_step_failures_total{step=prescription,reason_class=rejected}"],
      stepTimeouts: found["saga_step_failures_total{step=inventory,reason_class=timeout}"],
      timeouts: found["saga_timeouts_total{waiting_for=inventory}"],
      completedDurations: found["saga_duration_seconds_count{outcome=completed}"],
      compensatedDurations: found["saga_duration_seconds_count{outcome=compensated}"],
      compensatedSeconds: found["saga_duration_seconds_sum{outcome=compensated}"],
      cancelOrders: found["saga_compensations_total{compensation=CancelOrder,status=CONFIRMED}"],
    }).toEqual({
      started: 3,
      completed: 1,
      rejected: 1,
      timedOut: 1,
      rejections: 1,
      stepTimeouts: 1,
      timeouts: 1,
      completedDurations: 1,
      compensatedDurations: 2,
      compensatedSeconds: 4,
      cancelOrders: 2,
    });
  });

  it("counts a saga whose compensation timed out as needing an operator, and the compensation's timeout", async () => {
    const registry = new Registry();
    run(new SagaMetrics(registry), [
      placed,
      at({ kind: "StepFailed", step: "prescription", reason: "no" }),
      at({ kind: "CompensationTimedOut", compensation: "CancelOrder" }),
    ]);
    const found = await series(registry);
    expect(found["saga_outcomes_total{outcome=needs_operator,failed_step=prescription}"]).toBe(1);
    expect(found["saga_timeouts_total{waiting_for=CancelOrder}"]).toBe(1);
    expect(found["saga_duration_seconds_count{outcome=needs_operator}"]).toBe(1);
  });

  it("keeps the series it declared at the start, however many sagas with whatever reasons run", async () => {
    const registry = new Registry();
    const metrics = new SagaMetrics(registry);
    const declared = Object.keys(await series(registry)).filter((key) => !key.includes("_duration_"));
    for (let i = 0; i < 50; i += 1) {
      const steps = (["prescription", "inventory", "shipment"] as const).slice(0, i % 3);
      const failing = (["prescription", "inventory", "shipment"] as const)[i % 3]!;
      const failure =
        i % 2 === 0
          ? at({ kind: "StepFailed", step: failing, reason: `order ${randomUUID()}: ${randomUUID()}` })
          : at({ kind: "StepTimedOut", step: failing });
      run(metrics, [placed, ...steps.map(ok), failure]);
    }
    const after = Object.keys(await series(registry)).filter((key) => !key.includes("_duration_"));
    expect(after.filter((key) => !declared.includes(key))).toEqual([]);
    expect(after.join()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
  });
});
