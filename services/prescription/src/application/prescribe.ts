import type { OrderCreated, TraceContext } from "@fulfillment/contracts";
import {
  appendToOutbox,
  answerStepRequest,
  lockOrderId,
  ORDER_ALREADY_CANCELLED,
  type OutgoingMessage,
} from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { checkAgainstFormulary, type FormularyVerdict } from "../domain/formulary.js";
import { cancelPrescription, type Prescription } from "../domain/prescription.js";
import { loadFormulary, lockPrescription, savePrescription } from "../persistence/prescription-repository.js";

export type PrescriptionDeps = ApplicationDeps;

/**
 * On OrderCreated: decide the order's prescription once (idempotent on the order id). After the
 * order's tombstone (VOIDED) it is answered with PrescriptionFailed, by the shared tombstone rule.
 */
export async function prescribe(
  trx: Knex.Transaction,
  order: OrderCreated,
  deps: PrescriptionDeps,
  cause: TraceContext,
): Promise<void> {
  const { orderId } = order;
  const now = deps.now();
  const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
  const people = { patientId: order.patientId, prescriberId: order.prescriberId };
  await answerStepRequest<Prescription, FormularyVerdict>(
    trx,
    orderId,
    {
      step: "prescription",
      lock: (t) => lockPrescription(t, orderId),
      refusal: () => ({
        name: "PrescriptionFailed",
        value: { ...header, reason: ORDER_ALREADY_CANCELLED, rejectedItems: [] },
      }),
      decide: async (t) => checkAgainstFormulary(order, await loadFormulary(t)),
      save: async (t, verdict): Promise<OutgoingMessage[]> => {
        if (verdict.approved) {
          const prescriptionId = `rx-${deps.newId()}`;
          const items = verdict.items;
          await savePrescription(
            t,
            { prescriptionId, orderId, status: "ISSUED", items, reason: null },
            people,
            now,
          );
          deps.logger.info(
            { orderId, prescriptionId },
            `prescription ${prescriptionId} issued for ${orderId}`,
          );
          return [{ name: "PrescriptionCreated", value: { ...header, prescriptionId, ...people, items } }];
        }
        const { reason, rejected } = verdict;
        await savePrescription(
          t,
          { prescriptionId: null, orderId, status: "REJECTED", items: [], reason },
          people,
          now,
        );
        deps.logger.info({ orderId, reason }, `prescription for ${orderId} rejected`);
        return [{ name: "PrescriptionFailed", value: { ...header, reason, rejectedItems: rejected } }];
      },
    },
    deps.logger,
    cause,
  );
}

/** On CancelPrescription: cancel once, confirm always. */
export async function cancel(
  trx: Knex.Transaction,
  orderId: string,
  reason: string,
  deps: PrescriptionDeps,
  cause: TraceContext,
): Promise<void> {
  await lockOrderId(trx, orderId);
  const current = await lockPrescription(trx, orderId);
  const { next, cancelledId } = cancelPrescription(orderId, current, reason);
  const now = deps.now();
  if (next !== current) await savePrescription(trx, next, { patientId: null, prescriberId: null }, now);
  await appendToOutbox(
    trx,
    [
      {
        name: "PrescriptionCancelled",
        value: {
          eventId: deps.newId(),
          occurredAt: now.getTime(),
          orderId,
          prescriptionId: cancelledId,
          reason,
        },
      },
    ],
    cause,
  );
  deps.logger.info(
    { orderId, from: current?.status ?? "NONE", to: next.status },
    `prescription for ${orderId}: cancellation confirmed`,
  );
}
