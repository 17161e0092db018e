import type { MessageName, MessageTypes } from "@fulfillment/contracts";
import type { Fact } from "./facts.js";
import { saga, type Heard } from "./saga-definition.js";

/** What an event tells the tracker: a fact, a line for the history, and for the order itself whose it is. */
export interface Learned {
  fact: Fact;
  message: string;
  patientId?: string;
}

type Step = (typeof saga.steps)[number];
type Undoable = Exclude<Step["compensation"], "point of no return"> | typeof saga.start.compensation;

/** The events of the saga's definition: what the tracker listens for. */
export type SagaEvent =
  | typeof saga.start.startedBy.event
  | Step["succeededBy"]["event"]
  | Step["failedBy"]
  | Undoable["confirmedBy"]["event"];

/** One event the tracker listens for, and what it learns from it. */
export interface Listener<M extends MessageName = SagaEvent> {
  event: M;
  learn(value: MessageTypes[M]): Learned;
}

const listen = <M extends MessageName>(
  heard: Heard<M>,
  fact: (value: MessageTypes[M]) => Fact,
): Listener<M> => ({
  event: heard.event,
  learn: (value) => ({ fact: fact(value), message: heard.note(value), patientId: heard.patientOf?.(value) }),
});

/** Every event of the saga's definition, each with the fact it becomes: derived from the table, never written twice. */
export const listeners: readonly Listener[] = [
  listen(saga.start.startedBy, () => ({ kind: "OrderPlaced" })),
  ...saga.steps.flatMap((step) => [
    listen(step.succeededBy, () => ({ kind: "StepSucceeded", step: step.name })),
    listen({ event: step.failedBy, note: (v) => v.reason }, (v) => ({
      kind: "StepFailed",
      step: step.name,
      reason: v.reason,
    })),
  ]),
  ...[...saga.steps.map((step) => step.compensation), saga.start.compensation].flatMap((compensation) =>
    compensation === "point of no return"
      ? []
      : [
          listen(compensation.confirmedBy, () => ({
            kind: "CompensationConfirmed",
            compensation: compensation.command,
          })),
        ],
  ),
];
