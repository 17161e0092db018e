import { factKey, type Compensation, type RecordedFact, type StepName } from "./facts.js";
import { nextCompensation, sagaStateFromFacts, type SagaState, type SagaStatus } from "./saga-state.js";

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
