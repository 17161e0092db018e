import type { Fact, RecordedFact } from "./facts.js";
import { isFinal, saga, STEPS, type StepName } from "./saga-definition.js";
import type { SagaState } from "./saga-state.js";

/** How long each step, and each compensation, may take before it counts as failed. */
export interface Deadlines {
  steps: Record<StepName, number>;
  compensation: number;
}

/** The deadline settings of the saga's definition (environment variable names), each with its default and meaning. */
export const deadlineSettings = [
  ...saga.steps.map((step) => ({
    ...step.deadline,
    description: `Milliseconds the ${step.name} step may take before the saga counts it as failed and compensates.`,
  })),
  {
    ...saga.compensationDeadline,
    description:
      "Milliseconds a compensation may go unconfirmed before the saga stops in COMPENSATION_FAILED, for an operator.",
  },
] as const;

/** The deadlines, read by the definition's setting names from validated settings. */
export function deadlinesFrom(settings: Readonly<Record<string, number>>): Deadlines {
  const read = (setting: string) => {
    const value = settings[setting];
    if (value === undefined) throw new Error(`deadline setting ${setting} is missing`);
    return value;
  };
  return {
    steps: Object.fromEntries(saga.steps.map((step) => [step.name, read(step.deadline.setting)])) as Record<
      StepName,
      number
    >,
    compensation: read(saga.compensationDeadline.setting),
  };
}

/** When the step or compensation the saga waits for passes its deadline, or null when it waits for nothing. */
export function deadlineOf(
  state: SagaState,
  facts: readonly RecordedFact[],
  deadlines: Deadlines,
): number | null {
  const waitingFor = awaited(state);
  if (!waitingFor) return null;
  if (waitingFor.kind === "StepTimedOut") {
    // A step's time counts from the previous step's success, the first step's from the first fact.
    const previous = STEPS[STEPS.indexOf(waitingFor.step) - 1];
    const since =
      facts.find((f) => f.kind === "StepSucceeded" && f.step === previous)?.recordedAt ??
      Math.min(...facts.map((f) => f.recordedAt));
    return since + deadlines.steps[waitingFor.step];
  }
  const issuedAt = facts.find(
    (f) => f.kind === "CompensationIssued" && f.compensation === waitingFor.compensation,
  )?.recordedAt;
  return issuedAt === undefined ? null : issuedAt + deadlines.compensation;
}

/** The fact a passed deadline adds: the pending step timed out, or the awaited compensation did. */
export function expiredFact(state: SagaState): ExpiredFact | null {
  return awaited(state);
}

type ExpiredFact = Extract<Fact, { kind: "StepTimedOut" | "CompensationTimedOut" }>;

/** What the saga waits for, as the fact its deadline would add. */
function awaited(state: SagaState): ExpiredFact | null {
  if (isFinal(state.status)) return null;
  const step = STEPS.find((name) => name === state.currentStep);
  if (!state.failure && step) return { kind: "StepTimedOut", step };
  const waiting = state.compensations.find((c) => c.status === "ISSUED");
  return waiting ? { kind: "CompensationTimedOut", compensation: waiting.compensation } : null;
}
