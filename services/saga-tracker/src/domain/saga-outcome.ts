/**
 * How a saga's end and its failures are named in the metrics: a handful of values fixed by the
 * saga's definition, never an order id or a participant's free-text reason, so every label a
 * Prometheus series carries stays bounded however many sagas run.
 */
import { ORDER_ALREADY_CANCELLED } from "@fulfillment/outbox";
import { saga, STEPS, stepOf, type Compensation, type SagaStatus, type StepName } from "./saga-definition.js";
import type { StepFailure } from "./saga-state.js";

/** How a saga ended: it completed, it was compensated, or its compensation needs an operator. */
export type SagaOutcome = "completed" | "compensated" | "needs_operator";

export const SAGA_OUTCOMES: readonly SagaOutcome[] = ["completed", "compensated", "needs_operator"];

/** The outcome of a final status, or null while the saga is still running. */
const OUTCOMES: Partial<Record<SagaStatus, SagaOutcome>> = {
  COMPLETED: "completed",
  CANCELLED: "compensated",
  COMPENSATION_FAILED: "needs_operator",
};

export function outcomeOf(status: SagaStatus): SagaOutcome | null {
  return OUTCOMES[status] ?? null;
}

/** Why a step failed, in a word: its deadline passed, the order was already cancelled, or the step's own refusal. */
export type ReasonClass = (typeof saga.steps)[number]["refusedAs"] | "timeout" | "order_cancelled";

export function reasonClassOf(failure: StepFailure): ReasonClass {
  if (failure.timedOut) return "timeout";
  if (failure.reason === ORDER_ALREADY_CANCELLED) return "order_cancelled";
  return stepOf(failure.step).refusedAs;
}

/** Every reason class a step's failure can have. */
export function reasonClassesOf(step: StepName): ReasonClass[] {
  return [stepOf(step).refusedAs, "timeout", "order_cancelled"];
}

/** The outcomes with the step that failed ("none" for a completed saga): every pair a saga can end with. */
export function outcomeLabels(): Array<{ outcome: SagaOutcome; failed_step: StepName | "none" }> {
  return [
    { outcome: "completed", failed_step: "none" },
    ...STEPS.flatMap((step) => [
      { outcome: "compensated" as const, failed_step: step },
      { outcome: "needs_operator" as const, failed_step: step },
    ]),
  ];
}

/** What a deadline can expire on: a step, or a compensation command. */
export type Awaited = StepName | Compensation;

/** The compensation commands, in the order a full chain runs them (the order's last). */
export const COMPENSATIONS: readonly Compensation[] = [
  ...saga.steps.flatMap((step) =>
    step.compensation === "point of no return" ? [] : [step.compensation.command],
  ),
  saga.start.compensation.command,
];

export const AWAITED: readonly Awaited[] = [...STEPS, ...COMPENSATIONS];
