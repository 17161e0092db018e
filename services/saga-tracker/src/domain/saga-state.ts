import { factKey, type Fact, type RecordedFact } from "./facts.js";
import {
  compensationOf,
  saga,
  STEPS,
  stepOf,
  type Compensation,
  type SagaStatus,
  type StepName,
} from "./saga-definition.js";

export { isFinal, type SagaStatus } from "./saga-definition.js";

export interface StepFailure {
  step: StepName;
  reason: string;
  timedOut: boolean;
}

export interface CompensationView {
  compensation: Compensation;
  status: "PENDING" | "ISSUED" | "CONFIRMED" | "TIMED_OUT";
}

/** What the saga waits for: a step, or the compensation in progress. */
export type CurrentStep = StepName | `compensation:${Compensation}`;

export interface SagaState {
  status: SagaStatus;
  /** The step being waited for, the compensation in progress, or null when the saga is over. */
  currentStep: CurrentStep | null;
  failure: StepFailure | null;
  /** The compensations the failure requires, in the order they run (last step first, the order last). */
  compensations: CompensationView[];
  /** Whether a step past the point of no return succeeded after the saga failed. */
  irreversibleLateSuccess: boolean;
}

/** The facts of one saga, looked up by kind and subject. */
class Known {
  private readonly keys: Set<string>;
  constructor(private readonly facts: readonly RecordedFact[]) {
    this.keys = new Set(facts.map(factKey));
  }

  has(kind: Fact["kind"], subject: StepName | Compensation): boolean {
    return this.keys.has(`${kind}:${subject}`);
  }

  /** A fact about a later step means every earlier step succeeded, even if its own event is still on its way. */
  succeeded(step: StepName): boolean {
    const later = STEPS.slice(STEPS.indexOf(step) + 1);
    return (
      this.has("StepSucceeded", step) ||
      later.some((next) => this.has("StepSucceeded", next) || this.has("StepFailed", next))
    );
  }

  /** How the step failed, if it did. A deadline is recorded only for a step still pending, so it wins over a later answer. */
  failureOf(step: StepName): StepFailure | null {
    if (this.has("StepTimedOut", step))
      return { step, reason: `${step} step passed its deadline`, timedOut: true };
    const failed = this.facts.find((f) => f.kind === "StepFailed" && f.step === step);
    return failed?.kind === "StepFailed" ? { step, reason: failed.reason, timedOut: false } : null;
  }
}

/** The saga's state, derived from the facts alone: order and duplicates do not matter. */
export function sagaStateFromFacts(facts: readonly RecordedFact[]): SagaState {
  const known = new Known(facts);
  const failure = firstFailure(known);
  return failure ? compensating(known, failure) : progressing(known);
}

/** The first step that failed, walking the steps in order while they succeed. */
function firstFailure(known: Known): StepFailure | null {
  for (const step of STEPS) {
    const failure = known.failureOf(step);
    if (failure) return failure;
    if (!known.succeeded(step)) return null;
  }
  return null;
}

function progressing(known: Known): SagaState {
  const pending = STEPS.find((step) => !known.succeeded(step));
  return {
    status: pending ? stepOf(pending).pending : "COMPLETED",
    currentStep: pending ?? null,
    failure: null,
    compensations: [],
    irreversibleLateSuccess: false,
  };
}

function compensating(known: Known, failure: StepFailure): SagaState {
  const failedIndex = STEPS.indexOf(failure.step);
  const compensations = compensationChain(known, failure).map((compensation): CompensationView => ({
    compensation,
    status: compensationStatus(known, compensation),
  }));
  const irreversibleLateSuccess = STEPS.some(
    (step, index) =>
      compensationOf(step) === null && index >= failedIndex && known.has("StepSucceeded", step),
  );
  const open = compensations.find((c) => c.status !== "CONFIRMED");
  const stuck = irreversibleLateSuccess || compensations.some((c) => c.status === "TIMED_OUT");
  if (stuck)
    return {
      status: "COMPENSATION_FAILED",
      currentStep: null,
      failure,
      compensations,
      irreversibleLateSuccess,
    };
  if (!open)
    return { status: "CANCELLED", currentStep: null, failure, compensations, irreversibleLateSuccess };
  return {
    status: stepOf(failure.step).failed,
    currentStep: `compensation:${open.compensation}`,
    failure,
    compensations,
    irreversibleLateSuccess,
  };
}

/**
 * The compensations a failure requires, last step first and the order last: every step that took
 * effect or may have (those before the failure, a step that timed out, as its success may still
 * arrive, and any step whose success arrived late). A compensation once issued stays in the chain.
 */
function compensationChain(known: Known, failure: StepFailure): Compensation[] {
  const failedIndex = STEPS.indexOf(failure.step);
  const undo = [...STEPS.entries()].reverse().flatMap(([index, step]) => {
    const compensation = compensationOf(step);
    if (!compensation) return [];
    const mayHaveEffect =
      index < failedIndex ||
      (index === failedIndex && failure.timedOut) ||
      known.has("StepSucceeded", step) ||
      known.has("CompensationIssued", compensation);
    return mayHaveEffect ? [compensation] : [];
  });
  return [...undo, saga.start.compensation.command];
}

/** How far a compensation got, the furthest fact first. */
const COMPENSATION_PROGRESS = [
  ["CompensationConfirmed", "CONFIRMED"],
  ["CompensationTimedOut", "TIMED_OUT"],
  ["CompensationIssued", "ISSUED"],
] as const;

function compensationStatus(known: Known, compensation: Compensation): CompensationView["status"] {
  return COMPENSATION_PROGRESS.find(([kind]) => known.has(kind, compensation))?.[1] ?? "PENDING";
}

/** The next compensation to issue: the first unconfirmed one of the chain, if it has not been issued yet. */
export function nextCompensation(state: SagaState): Compensation | null {
  if (state.status === "COMPENSATION_FAILED") return null;
  const open = state.compensations.find((c) => c.status !== "CONFIRMED");
  return open?.status === "PENDING" ? open.compensation : null;
}
