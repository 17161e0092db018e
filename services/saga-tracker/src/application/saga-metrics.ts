import { Counter, Histogram, type Registry } from "prom-client";
import type { Decision } from "../domain/decide.js";

/** The saga's Prometheus metrics: outcomes, duration, compensations, step failures and timeouts. */
export class SagaMetrics {
  private readonly finished: Counter<"status">;
  private readonly duration: Histogram<"status">;
  private readonly stepFailures: Counter<"step" | "kind">;
  private readonly compensations: Counter<"compensation" | "status">;

  constructor(registry: Registry) {
    this.finished = new Counter({
      name: "saga_finished_total",
      help: "Sagas that reached a final status.",
      labelNames: ["status"],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: "saga_duration_seconds",
      help: "From the first event of a saga to its final status.",
      labelNames: ["status"],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.stepFailures = new Counter({
      name: "saga_step_failures_total",
      help: "Steps that failed or passed their deadline.",
      labelNames: ["step", "kind"],
      registers: [registry],
    });
    this.compensations = new Counter({
      name: "saga_compensations_total",
      help: "Compensations issued and confirmed.",
      labelNames: ["compensation", "status"],
      registers: [registry],
    });
  }

  /** Counts what a decision did; `finishedInSeconds` is set when it brought the saga to its final status. */
  record(decision: Decision, finishedInSeconds: number | null): void {
    const { after, before } = decision;
    if (after.failure && !before?.failure)
      this.stepFailures.inc({
        step: after.failure.step,
        kind: after.failure.timedOut ? "timeout" : "failed",
      });
    for (const event of decision.lifecycle) {
      if (event.type === "SagaCompensationRecorded")
        this.compensations.inc({ compensation: event.compensation, status: event.status });
    }
    if (finishedInSeconds !== null) {
      this.finished.inc({ status: after.status });
      this.duration.observe({ status: after.status }, finishedInSeconds);
    }
  }
}
