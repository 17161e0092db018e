import { STEPS, type Compensation, type RecordedFact, type StepName } from "./facts.js";

export type SagaStatus =
  | "PENDING_PRESCRIPTION"
  | "PENDING_INVENTORY_RESERVATION"
  | "PENDING_SHIPMENT"
  | "COMPLETED"
  | "CANCELLED_PRESCRIPTION_FAILED"
  | "CANCELLED_INVENTORY_FAILED"
  | "CANCELLED_SHIPMENT_FAILED"
  | "CANCELLED"
  /** A compensation cannot finish (it passed its deadline, or a step that cannot be undone succeeded late): an operator must act. */
  | "COMPENSATION_FAILED";

export const PENDING_STATUS: Record<StepName, SagaStatus> = {
  prescription: "PENDING_PRESCRIPTION",
  inventory: "PENDING_INVENTORY_RESERVATION",
  shipment: "PENDING_SHIPMENT",
};

const FAILED_STATUS: Record<StepName, SagaStatus> = {
  prescription: "CANCELLED_PRESCRIPTION_FAILED",
  inventory: "CANCELLED_INVENTORY_FAILED",
  shipment: "CANCELLED_SHIPMENT_FAILED",
};

/** The compensation that undoes a step's effect; a shipment cannot be undone. */
const COMPENSATION_OF: Record<StepName, Compensation | null> = {
  prescription: "CancelPrescription",
  inventory: "ReleaseInventory",
  shipment: null,
};

export interface StepFailure {
  step: StepName;
  reason: string;
  timedOut: boolean;
}

export interface CompensationView {
  compensation: Compensation;
  status: "PENDING" | "ISSUED" | "CONFIRMED" | "TIMED_OUT";
}

export interface SagaState {
  status: SagaStatus;
  /** The step being waited for, the compensation in progress, or null when the saga is over. */
  currentStep: string | null;
  failure: StepFailure | null;
  /** The compensations the failure requires, in the order they run (last step first, the order last). */
  compensations: CompensationView[];
  /** Whether a step that cannot be undone succeeded after the saga failed. */
  irreversibleLateSuccess: boolean;
}

/** The saga's state, derived from the facts alone: order and duplicates do not matter. */
export function sagaStateFromFacts(facts: readonly RecordedFact[]): SagaState {
  const has = (kind: RecordedFact["kind"], subject?: string) =>
    facts.some(
      (f) =>
        f.kind === kind &&
        (subject === undefined ||
          ("step" in f ? f.step : "compensation" in f ? f.compensation : undefined) === subject),
    );
  // A fact about a later step means every earlier step succeeded, even if its own event is still on its way.
  const laterStepHeardFrom = (index: number) =>
    STEPS.slice(index + 1).some((later) => has("StepSucceeded", later) || has("StepFailed", later));
  const succeeded = (step: StepName) => has("StepSucceeded", step) || laterStepHeardFrom(STEPS.indexOf(step));

  let failure: StepFailure | null = null;
  for (const step of STEPS) {
    // A deadline is recorded only for a step still pending, so a timeout precedes any answer of that step.
    const failed = facts.find((f) => f.kind === "StepFailed" && f.step === step);
    if (has("StepTimedOut", step))
      failure = { step, reason: `${step} step passed its deadline`, timedOut: true };
    else if (failed?.kind === "StepFailed") failure = { step, reason: failed.reason, timedOut: false };
    if (failure || !succeeded(step)) break;
  }

  if (!failure) {
    const pending = STEPS.find((step) => !succeeded(step));
    return pending
      ? {
          status: PENDING_STATUS[pending],
          currentStep: pending,
          failure,
          compensations: [],
          irreversibleLateSuccess: false,
        }
      : {
          status: "COMPLETED",
          currentStep: null,
          failure,
          compensations: [],
          irreversibleLateSuccess: false,
        };
  }

  const failedIndex = STEPS.indexOf(failure.step);
  // Undo every step that took effect or may have: those before the failure, a step that timed out
  // (its success may still arrive), and any step whose success arrived late.
  const chain: Compensation[] = [];
  for (const [index, step] of [...STEPS.entries()].reverse()) {
    const compensation = COMPENSATION_OF[step];
    if (!compensation) continue;
    // A compensation once issued stays in the chain, whatever arrives later.
    const mayHaveEffect =
      index < failedIndex ||
      (index === failedIndex && failure.timedOut) ||
      has("StepSucceeded", step) ||
      has("CompensationIssued", compensation);
    if (mayHaveEffect) chain.push(compensation);
  }
  chain.push("CancelOrder");

  const compensations = chain.map((compensation): CompensationView => ({
    compensation,
    status: has("CompensationConfirmed", compensation)
      ? "CONFIRMED"
      : has("CompensationTimedOut", compensation)
        ? "TIMED_OUT"
        : has("CompensationIssued", compensation)
          ? "ISSUED"
          : "PENDING",
  }));
  const irreversibleLateSuccess = STEPS.some(
    (step, index) => COMPENSATION_OF[step] === null && index >= failedIndex && has("StepSucceeded", step),
  );
  const open = compensations.find((c) => c.status !== "CONFIRMED");
  const status: SagaStatus =
    irreversibleLateSuccess || compensations.some((c) => c.status === "TIMED_OUT")
      ? "COMPENSATION_FAILED"
      : open
        ? FAILED_STATUS[failure.step]
        : "CANCELLED";
  const currentStep =
    status === FAILED_STATUS[failure.step] && open ? `compensation:${open.compensation}` : null;
  return { status, currentStep, failure, compensations, irreversibleLateSuccess };
}

/** The next compensation to issue: the first unconfirmed one of the chain, if it has not been issued yet. */
export function nextCompensation(state: SagaState): Compensation | null {
  if (state.status === "COMPENSATION_FAILED") return null;
  const open = state.compensations.find((c) => c.status !== "CONFIRMED");
  return open?.status === "PENDING" ? open.compensation : null;
}

/** Whether the saga is over: nothing more will happen without an operator. */
export function isFinal(status: SagaStatus): boolean {
  return status === "COMPLETED" || status === "CANCELLED" || status === "COMPENSATION_FAILED";
}
