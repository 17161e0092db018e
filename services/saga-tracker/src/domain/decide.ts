import { factKey, STEPS, type Compensation, type Fact, type RecordedFact, type StepName } from "./facts.js";
import {
  isFinal,
  nextCompensation,
  sagaStateFromFacts,
  type SagaState,
  type SagaStatus,
} from "./saga-state.js";

/** What the saga tells the world when it changes. */
export type LifecycleEvent =
  | { type: "SagaStarted" }
  | {
      type: "SagaStateChanged";
      fromStatus: SagaStatus | "NEW";
      toStatus: SagaStatus;
      step: string;
      message: string;
    }
  | { type: "SagaFailed"; failedStep: StepName; reason: string; status: SagaStatus }
  | { type: "SagaCompleted" }
  | { type: "SagaCompensationRecorded"; compensation: Compensation; status: "ISSUED" | "CONFIRMED" };

export interface Decision {
  /** Facts to record: the new ones not seen before, plus the compensation issued now, if any. */
  added: RecordedFact[];
  before: SagaState | null;
  after: SagaState;
  /** Compensation commands to send now (at most one: each waits for the previous one's confirmation). */
  commands: Compensation[];
  lifecycle: LifecycleEvent[];
}

/**
 * Facts in, next commands out. Given the facts known so far and new ones, decides the compensation
 * to issue and the lifecycle events to publish. Pure: the caller passes the clock reading.
 */
export function decide(
  known: readonly RecordedFact[],
  incoming: readonly RecordedFact[],
  now: number,
): Decision {
  const seen = new Set(known.map(factKey));
  const added = incoming.filter((fact) => {
    const key = factKey(fact);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const before = known.length > 0 ? sagaStateFromFacts(known) : null;
  let facts = [...known, ...added];
  let after = sagaStateFromFacts(facts);
  const commands: Compensation[] = [];
  const next = added.length > 0 ? nextCompensation(after) : null;
  if (next) {
    const issued: RecordedFact = {
      kind: "CompensationIssued",
      compensation: next,
      recordedAt: now,
      message: `${next} issued`,
    };
    added.push(issued);
    facts = [...facts, issued];
    after = sagaStateFromFacts(facts);
    commands.push(next);
  }
  return { added, before, after, commands, lifecycle: lifecycleEvents(before, after, added) };
}

function lifecycleEvents(
  before: SagaState | null,
  after: SagaState,
  added: readonly RecordedFact[],
): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  if (!before && added.length > 0) events.push({ type: "SagaStarted" });
  if (after.failure && !before?.failure) {
    events.push({
      type: "SagaFailed",
      failedStep: after.failure.step,
      reason: after.failure.reason,
      status: after.status,
    });
  }
  for (const fact of added) {
    if (fact.kind === "CompensationIssued")
      events.push({ type: "SagaCompensationRecorded", compensation: fact.compensation, status: "ISSUED" });
    if (fact.kind === "CompensationConfirmed") {
      events.push({ type: "SagaCompensationRecorded", compensation: fact.compensation, status: "CONFIRMED" });
    }
  }
  if (before?.status !== after.status) {
    const message = added.map((f) => f.message).join("; ");
    events.push({
      type: "SagaStateChanged",
      fromStatus: before?.status ?? "NEW",
      toStatus: after.status,
      step: after.currentStep ?? "done",
      message,
    });
  }
  if (after.status === "COMPLETED" && before?.status !== "COMPLETED") events.push({ type: "SagaCompleted" });
  return events;
}

/** How long each step, and each compensation, may take before it counts as failed. */
export interface Deadlines {
  steps: Record<StepName, number>;
  compensation: number;
}

/** When the step or compensation the saga waits for passes its deadline, or null when it waits for nothing. */
export function deadlineOf(
  state: SagaState,
  facts: readonly RecordedFact[],
  deadlines: Deadlines,
): number | null {
  if (isFinal(state.status)) return null;
  const first = Math.min(...facts.map((f) => f.recordedAt));
  if (!state.failure && state.currentStep) {
    const step = state.currentStep as StepName;
    const previous = STEPS[STEPS.indexOf(step) - 1];
    const since = facts.find((f) => f.kind === "StepSucceeded" && f.step === previous)?.recordedAt ?? first;
    return since + deadlines.steps[step];
  }
  const waiting = state.compensations.find((c) => c.status === "ISSUED");
  const issuedAt = facts.find(
    (f) => f.kind === "CompensationIssued" && f.compensation === waiting?.compensation,
  )?.recordedAt;
  return issuedAt === undefined ? null : issuedAt + deadlines.compensation;
}

/** The fact a passed deadline adds: the pending step timed out, or the awaited compensation did. */
export function expiredFact(
  state: SagaState,
): Extract<Fact, { kind: "StepTimedOut" | "CompensationTimedOut" }> | null {
  if (isFinal(state.status)) return null;
  if (!state.failure && state.currentStep)
    return { kind: "StepTimedOut", step: state.currentStep as StepName };
  const waiting = state.compensations.find((c) => c.status === "ISSUED");
  return waiting ? { kind: "CompensationTimedOut", compensation: waiting.compensation } : null;
}
