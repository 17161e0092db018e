import type { MessageTypes } from "@fulfillment/contracts";
import { handleOnce, type MessageContext, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import type { Fact } from "../domain/facts.js";
import { recordFacts, type RecordFactsDeps } from "../application/record-facts.js";
import { recordSagaPatient } from "../persistence/saga-repository.js";

/** What an event tells the tracker: a fact, a line for the history, and for the order itself whose it is. */
interface Learned {
  fact: Fact;
  message: string;
  patientId?: string;
}
type FactOf<M extends keyof MessageTypes> = (value: MessageTypes[M]) => Learned;

/** What each event tells the tracker about its saga. */
const factsFrom: { [M in keyof MessageTypes]?: FactOf<M> } = {
  // An order that breaks the public contract's rules never gets here: the consumer's edge dead-letters it.
  OrderCreated: (v) => ({ fact: { kind: "OrderPlaced" }, message: "order placed", patientId: v.patientId }),
  PrescriptionCreated: (v) => ({
    fact: { kind: "StepSucceeded", step: "prescription" },
    message: `prescription ${v.prescriptionId} created`,
  }),
  PrescriptionFailed: (v) => ({
    fact: { kind: "StepFailed", step: "prescription", reason: v.reason },
    message: v.reason,
  }),
  InventoryReserved: (v) => ({
    fact: { kind: "StepSucceeded", step: "inventory" },
    message: `reservation ${v.reservationId} made`,
  }),
  InventoryReservationFailed: (v) => ({
    fact: { kind: "StepFailed", step: "inventory", reason: v.reason },
    message: v.reason,
  }),
  ShipmentInitiated: (v) => ({
    fact: { kind: "StepSucceeded", step: "shipment" },
    message: `shipment ${v.shipmentId} booked, tracking ${v.trackingNumber}`,
  }),
  ShipmentInitiationFailed: (v) => ({
    fact: { kind: "StepFailed", step: "shipment", reason: v.reason },
    message: v.reason,
  }),
  InventoryReleased: (v) => ({
    fact: { kind: "CompensationConfirmed", compensation: "ReleaseInventory" },
    message: v.reservationId
      ? `reservation ${v.reservationId} released`
      : "nothing was reserved: release confirmed",
  }),
  PrescriptionCancelled: (v) => ({
    fact: { kind: "CompensationConfirmed", compensation: "CancelPrescription" },
    message: v.prescriptionId
      ? `prescription ${v.prescriptionId} cancelled`
      : "no prescription existed: cancellation confirmed",
  }),
  OrderCancelled: (v) => ({
    fact: { kind: "CompensationConfirmed", compensation: "CancelOrder" },
    message: `order cancelled: ${v.reason}`,
  }),
};

/** One handler per saga event: the event becomes a fact, recorded once (inbox) with its effects. */
export function trackerHandlers(knex: Knex, deps: RecordFactsDeps): MessageHandlers {
  const handlers: Record<
    string,
    (value: { eventId: string; orderId: string }, context: MessageContext) => Promise<void>
  > = {};
  for (const [name, toFact] of Object.entries(factsFrom)) {
    handlers[name] = handleOnce(
      knex,
      "saga-tracker",
      async (trx, value: { eventId: string; orderId: string }, context: MessageContext) => {
        const { fact, message, patientId } = (toFact as (v: unknown) => Learned)(value);
        const recorded = { ...fact, message, recordedAt: deps.now().getTime() };
        await recordFacts(trx, value.orderId, [recorded], { ...deps, logger: context.logger }, context.trace);
        if (patientId) await recordSagaPatient(trx, value.orderId, patientId);
      },
    );
  }
  return handlers;
}
