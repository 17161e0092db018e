/** Given/when/then helpers for the saga tracker's decider: facts with a ticking clock, and a player. */
import { decide } from "./decide.js";
import type { Compensation, Fact, RecordedFact, StepName } from "./facts.js";
import { sagaStateFromFacts } from "./saga-state.js";

/** The clock reading every decision in these tests is made at. */
export const NOW = 9_999;

let clock = 1_000;
/** A fact as the tracker records it, each one 10 ms after the previous. */
export const at = (fact: Fact): RecordedFact => ({ ...fact, recordedAt: (clock += 10), message: fact.kind });
export const placed = at({ kind: "OrderPlaced" });
export const ok = (step: StepName) => at({ kind: "StepSucceeded", step });
export const failed = (step: StepName) => at({ kind: "StepFailed", step, reason: `${step} said no` });
export const timedOut = (step: StepName) => at({ kind: "StepTimedOut", step });
export const issued = (compensation: Compensation) => at({ kind: "CompensationIssued", compensation });
export const confirmed = (compensation: Compensation) => at({ kind: "CompensationConfirmed", compensation });
export const compensationTimedOut = (compensation: Compensation) =>
  at({ kind: "CompensationTimedOut", compensation });

/** Given facts already known, when new facts arrive, then the decision. */
export function given(...known: RecordedFact[]) {
  return { when: (...incoming: RecordedFact[]) => decide(known, incoming, NOW) };
}

/** Runs a saga the way the tracker does: one fact at a time, each decision's facts become known. */
export function play(...facts: RecordedFact[]) {
  let known: RecordedFact[] = [];
  const commands: string[] = [];
  for (const fact of facts) {
    const decision = decide(known, [fact], NOW);
    known = [...known, ...decision.added];
    commands.push(...decision.commands);
  }
  return { state: sagaStateFromFacts(known), commands, known };
}
