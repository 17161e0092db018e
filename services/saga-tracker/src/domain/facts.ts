import type { Compensation, StepName } from "./saga-definition.js";

export type { Compensation, StepName } from "./saga-definition.js";

/**
 * What the tracker has learned about one saga. The saga's state is a function of the set of
 * facts, so a duplicate fact or facts arriving out of order cannot corrupt it.
 */
export type Fact =
  | { kind: "OrderPlaced" }
  | { kind: "StepSucceeded"; step: StepName }
  | { kind: "StepFailed"; step: StepName; reason: string }
  | { kind: "StepTimedOut"; step: StepName }
  | { kind: "CompensationIssued"; compensation: Compensation }
  | { kind: "CompensationConfirmed"; compensation: Compensation }
  | { kind: "CompensationTimedOut"; compensation: Compensation };

/** A fact as recorded: when the tracker saw it, and a line for the saga's history. */
export type RecordedFact = Fact & { recordedAt: number; message: string };

/** Facts are unique per saga by this key: the second copy of a fact changes nothing. */
export function factKey(fact: Fact): string {
  switch (fact.kind) {
    case "OrderPlaced":
      return fact.kind;
    case "StepSucceeded":
    case "StepFailed":
    case "StepTimedOut":
      return `${fact.kind}:${fact.step}`;
    case "CompensationIssued":
    case "CompensationConfirmed":
    case "CompensationTimedOut":
      return `${fact.kind}:${fact.compensation}`;
    default:
      return assertNever(fact);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
