/**
 * The fulfillment saga, declared once. Everything the tracker knows about the saga's shape derives
 * from this table: the statuses (and the list the query API validates against), which event
 * settles which step, the compensation chain (last step first, the order last), the deadline
 * settings, and the topics the tracker reads. To change a deadline or add a step, edit this
 * table (and the new step's schemas in packages/contracts); docs/ARCHITECTURE.md is checked
 * against it.
 */
import type { MessageName, MessageTypes } from "@fulfillment/contracts";

/** An event the saga listens for, and the line it writes in the saga's history. */
export interface Heard<M extends MessageName = MessageName> {
  event: M;
  note(value: MessageTypes[M]): string;
  /** Whose saga it is, told by the event that starts it (the patient may read their own). */
  patientOf?(value: MessageTypes[M]): string;
}

const heard = <M extends MessageName>(
  event: M,
  note: (value: MessageTypes[M]) => string,
  patientOf?: (value: MessageTypes[M]) => string,
): Heard<M> => ({ event, note, patientOf });

/** A message that can answer "no": its reason becomes the saga's failure reason. */
type Refusal = { [M in MessageName]: MessageTypes[M] extends { reason: string } ? M : never }[MessageName];

/** A command the tracker sends to undo a step's effect, and the event that confirms it is undone. */
export interface CompensationDefinition {
  command: MessageName;
  confirmedBy: Heard;
}

export interface StepDefinition {
  name: string;
  /** The saga's status while it waits for this step. */
  pending: string;
  /** The saga's status while it compensates after this step failed. */
  failed: string;
  succeededBy: Heard;
  failedBy: Refusal;
  /** What the step's refusal means, as the bounded reason class its failure is counted under in the metrics. */
  refusedAs: string;
  /** The setting (environment variable) of how long the step may take, and its default. */
  deadline: { setting: string; defaultMs: number };
  /** How the step's effect is undone, or "point of no return": it cannot be, so it comes last. */
  compensation: CompensationDefinition | "point of no return";
}

export interface SagaDefinition {
  /** The event that starts a saga, and how the order itself is undone (always last). */
  start: { startedBy: Heard; compensation: CompensationDefinition };
  /** The steps after the order, in the order they run. */
  steps: readonly StepDefinition[];
  /** How long any compensation may go unconfirmed before an operator must act. */
  compensationDeadline: { setting: string; defaultMs: number };
}

export const saga = {
  start: {
    startedBy: heard(
      "OrderCreated",
      () => "order placed",
      (v) => v.patientId,
    ),
    compensation: {
      command: "CancelOrder",
      confirmedBy: heard("OrderCancelled", (v) => `order cancelled: ${v.reason}`),
    },
  },
  steps: [
    {
      name: "prescription",
      pending: "PENDING_PRESCRIPTION",
      failed: "CANCELLED_PRESCRIPTION_FAILED",
      succeededBy: heard("PrescriptionCreated", (v) => `prescription ${v.prescriptionId} created`),
      failedBy: "PrescriptionFailed",
      refusedAs: "rejected",
      deadline: { setting: "PRESCRIPTION_DEADLINE_MS", defaultMs: 60_000 },
      compensation: {
        command: "CancelPrescription",
        confirmedBy: heard("PrescriptionCancelled", (v) =>
          v.prescriptionId
            ? `prescription ${v.prescriptionId} cancelled`
            : "no prescription existed: cancellation confirmed",
        ),
      },
    },
    {
      name: "inventory",
      pending: "PENDING_INVENTORY_RESERVATION",
      failed: "CANCELLED_INVENTORY_FAILED",
      succeededBy: heard("InventoryReserved", (v) => `reservation ${v.reservationId} made`),
      failedBy: "InventoryReservationFailed",
      refusedAs: "out_of_stock",
      deadline: { setting: "INVENTORY_DEADLINE_MS", defaultMs: 60_000 },
      compensation: {
        command: "ReleaseInventory",
        confirmedBy: heard("InventoryReleased", (v) =>
          v.reservationId
            ? `reservation ${v.reservationId} released`
            : "nothing was reserved: release confirmed",
        ),
      },
    },
    {
      name: "shipment",
      pending: "PENDING_SHIPMENT",
      failed: "CANCELLED_SHIPMENT_FAILED",
      succeededBy: heard(
        "ShipmentInitiated",
        (v) => `shipment ${v.shipmentId} booked, tracking ${v.trackingNumber}`,
      ),
      failedBy: "ShipmentInitiationFailed",
      refusedAs: "not_serviceable",
      deadline: { setting: "SHIPMENT_DEADLINE_MS", defaultMs: 60_000 },
      compensation: "point of no return",
    },
  ],
  compensationDeadline: { setting: "COMPENSATION_DEADLINE_MS", defaultMs: 300_000 },
} as const satisfies SagaDefinition;

type Step = (typeof saga.steps)[number];

/** The steps of the saga after the order itself, in order. */
export type StepName = Step["name"];
export const STEPS: readonly StepName[] = saga.steps.map((step) => step.name);

/** The compensation commands: each step's that can be undone, and the order's. */
export type Compensation =
  | Exclude<Step["compensation"], "point of no return">["command"]
  | (typeof saga.start.compensation)["command"];

export type SagaStatus =
  | Step["pending"]
  | Step["failed"]
  | "COMPLETED"
  | "CANCELLED"
  /** A compensation cannot finish (it passed its deadline, or a step past the point of no return succeeded late): an operator must act. */
  | "COMPENSATION_FAILED";

/** Every status, in the saga's order: what the query API accepts as a filter. */
export const SAGA_STATUSES = [
  ...saga.steps.map((step) => step.pending),
  "COMPLETED",
  ...saga.steps.map((step) => step.failed),
  "CANCELLED",
  "COMPENSATION_FAILED",
] as const satisfies readonly SagaStatus[];

const FINAL_STATUSES: ReadonlySet<SagaStatus> = new Set(["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"]);

/** Whether the saga is over: nothing more will happen without an operator. */
export function isFinal(status: SagaStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export function stepOf(name: StepName): Step {
  const step = saga.steps.find((s) => s.name === name);
  if (!step) throw new Error(`no step ${name} in the saga's definition`);
  return step;
}

/** The compensation that undoes a step's effect, or null past the point of no return. */
export function compensationOf(name: StepName): Compensation | null {
  const { compensation } = stepOf(name);
  return compensation === "point of no return" ? null : compensation.command;
}

/** The first step: the one a new saga waits for. */
export const FIRST_STEP: Step = saga.steps[0];
