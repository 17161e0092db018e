import { Counter, Histogram, type Registry } from "prom-client";
import type { Decision } from "../domain/decide.js";
import { STEPS } from "../domain/saga-definition.js";
import {
  AWAITED,
  COMPENSATIONS,
  outcomeLabels,
  outcomeOf,
  reasonClassesOf,
  reasonClassOf,
  SAGA_OUTCOMES,
} from "../domain/saga-outcome.js";

/**
 * The saga's Prometheus metrics: starts, outcomes (by the step that failed, so success and
 * compensation rates are PromQL), duration, step failures by reason class, timeouts and
 * compensations. Every label value comes from the saga's definition; each series exists from the
 * start at 0, so a rate over it is 0 rather than missing before the first saga.
 */
export class SagaMetrics {
  private readonly started: Counter;
  private readonly outcomes: Counter<"outcome" | "failed_step">;
  private readonly duration: Histogram<"outcome">;
  private readonly stepFailures: Counter<"step" | "reason_class">;
  private readonly timeouts: Counter<"waiting_for">;
  private readonly compensations: Counter<"compensation" | "status">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.started = new Counter({ name: "saga_started_total", help: "Sagas started.", registers });
    this.outcomes = new Counter({
      name: "saga_outcomes_total",
      help: "Sagas that reached a final status, by outcome and the step that failed (none when completed).",
      labelNames: ["outcome", "failed_step"],
      registers,
    });
    this.duration = new Histogram({
      name: "saga_duration_seconds",
      help: "From the first event of a saga to its final status, by outcome.",
      labelNames: ["outcome"],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers,
    });
    this.stepFailures = new Counter({
      name: "saga_step_failures_total",
      help: "Steps that failed, by step and reason class (the step's refusal, timeout, order_cancelled).",
      labelNames: ["step", "reason_class"],
      registers,
    });
    this.timeouts = new Counter({
      name: "saga_timeouts_total",
      help: "Deadlines that passed, by what the saga waited for (a step or a compensation command).",
      labelNames: ["waiting_for"],
      registers,
    });
    this.compensations = new Counter({
      name: "saga_compensations_total",
      help: "Compensation commands issued and confirmed.",
      labelNames: ["compensation", "status"],
      registers,
    });
    for (const labels of outcomeLabels()) this.outcomes.inc(labels, 0);
    for (const outcome of SAGA_OUTCOMES) this.duration.zero({ outcome });
    for (const step of STEPS)
      for (const reason_class of reasonClassesOf(step)) this.stepFailures.inc({ step, reason_class }, 0);
    for (const waiting_for of AWAITED) this.timeouts.inc({ waiting_for }, 0);
    for (const compensation of COMPENSATIONS)
      for (const status of ["ISSUED", "CONFIRMED"]) this.compensations.inc({ compensation, status }, 0);
  }

  /** Counts what a decision did; `finishedInSeconds` is set when it brought the saga to its final status. */
  record(decision: Decision, finishedInSeconds: number | null): void {
    const { after, before } = decision;
    if (after.failure && !before?.failure)
      this.stepFailures.inc({ step: after.failure.step, reason_class: reasonClassOf(after.failure) });
    for (const fact of decision.added) {
      if (fact.kind === "StepTimedOut") this.timeouts.inc({ waiting_for: fact.step });
      if (fact.kind === "CompensationTimedOut") this.timeouts.inc({ waiting_for: fact.compensation });
    }
    for (const event of decision.lifecycle) {
      if (event.type === "SagaStarted") this.started.inc();
      if (event.type === "SagaCompensationRecorded")
        this.compensations.inc({ compensation: event.compensation, status: event.status });
    }
    const outcome = outcomeOf(after.status);
    if (finishedInSeconds !== null && outcome !== null) {
      this.outcomes.inc({ outcome, failed_step: after.failure?.step ?? "none" });
      this.duration.observe({ outcome }, finishedInSeconds);
    }
  }
}
