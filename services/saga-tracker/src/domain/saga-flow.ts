/**
 * The saga's whole flow, played from its definition by the decider itself: the happy path, and
 * for each step its refusal and its deadline, with the compensations each one runs. The flow test
 * states these paths literally, and docs/ARCHITECTURE.md prints them, so what the table declares,
 * what the tracker does and what the docs say cannot drift apart.
 */
import { decide } from "./decide.js";
import type { Fact, RecordedFact } from "./facts.js";
import { saga, STEPS, stepOf, type Compensation, type SagaStatus, type StepName } from "./saga-definition.js";
import { sagaStateFromFacts } from "./saga-state.js";

export interface FlowPath {
  /** "happy path", "prescription refused", "prescription timed out", … */
  name: string;
  /** What happened, one fact at a time (the event heard, or the deadline that passed), and the saga's status after it. */
  steps: { happened: string; status: SagaStatus }[];
  /** The compensation commands the tracker sent, in the order it sent them. */
  compensations: Compensation[];
}

/** Every path through the saga: the happy one, then each step refused and each step timed out. */
export function sagaFlow(): FlowPath[] {
  const succeeded = (step: StepName): Played => ({ kind: "StepSucceeded", step });
  return [
    play("happy path", STEPS.map(succeeded)),
    ...STEPS.flatMap((step, index) => {
      const before = STEPS.slice(0, index).map(succeeded);
      return [
        play(`${step} refused`, [...before, { kind: "StepFailed", step, reason: `${step} refused` }]),
        play(`${step} timed out`, [...before, { kind: "StepTimedOut", step }]),
      ];
    }),
  ];
}

/**
 * Plays the order's placement and then the given facts one at a time, as the tracker records them;
 * then confirms each compensation the tracker sends, as its participant would, until it sends none.
 */
function play(name: string, facts: Played[]): FlowPath {
  const path: FlowPath = { name, steps: [], compensations: [] };
  let known: RecordedFact[] = [];
  const record = (fact: Played): Compensation[] => {
    const decision = decide(known, [{ ...fact, recordedAt: 0, message: "" }], 0);
    known = [...known, ...decision.added];
    path.steps.push({ happened: describe(fact), status: sagaStateFromFacts(known).status });
    path.compensations.push(...decision.commands);
    return decision.commands;
  };
  const sent = [{ kind: "OrderPlaced" } as const, ...facts].flatMap(record);
  for (let next = sent.shift(); next; next = sent.shift())
    sent.push(...record({ kind: "CompensationConfirmed", compensation: next }));
  return path;
}

/** The facts a path is played with: the tracker records the others itself. */
type Played = Exclude<Fact, { kind: "CompensationIssued" | "CompensationTimedOut" }>;

function describe(fact: Played): string {
  switch (fact.kind) {
    case "OrderPlaced":
      return saga.start.startedBy.event;
    case "StepSucceeded":
      return stepOf(fact.step).succeededBy.event;
    case "StepFailed":
      return stepOf(fact.step).failedBy;
    case "StepTimedOut":
      return `${fact.step} deadline passed`;
    case "CompensationConfirmed":
      return confirmationOf(fact.compensation);
  }
}

/** The event that confirms a compensation: the row that declares its command says. */
function confirmationOf(command: Compensation): string {
  const undoes = [saga.start.compensation, ...saga.steps.map((step) => step.compensation)];
  const row = undoes.find((c) => c !== "point of no return" && c.command === command);
  return row && row !== "point of no return" ? row.confirmedBy.event : command;
}
