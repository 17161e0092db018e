import type { OrderCreated, TraceContext } from "@fulfillment/contracts";
import {
  appendToOutbox,
  decideForOrder,
  ORDER_ALREADY_CANCELLED,
  type OutgoingMessage,
} from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { checkAgainstFormulary, type FormularyVerdict } from "../domain/formulary.js";
import { cancelPrescription, type Prescription } from "../domain/prescription.js";
import { loadFormulary, lockPrescription, savePrescription } from "../persistence/prescription-repository.js";

export type PrescriptionDeps = ApplicationDeps;

/** What OrderCreated leads to, given what this service already holds for the order. */
type PrescribeVerdict =
  | { kind: "decided"; status: Prescription["status"] }
  | { kind: "cancelled" }
  | { kind: "checked"; check: FormularyVerdict };

/**
 * On OrderCreated: decide the order's prescription once (idempotent on the order id). An order
 * already cancelled (the VOIDED tombstone) is answered with PrescriptionFailed, never ignored, so
 * the tracker hears this step's answer instead of waiting for its deadline.
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
  await decideForOrder<Prescription | null, PrescribeVerdict>(
    trx,
    orderId,
    {
      lock: (t) => lockPrescription(t, orderId),
      decide: async (existing, t): Promise<PrescribeVerdict> => {
        if (existing?.status === "VOIDED") return { kind: "cancelled" };
        if (existing) return { kind: "decided", status: existing.status };
        return { kind: "checked", check: checkAgainstFormulary(order, await loadFormulary(t)) };
      },
      save: async (t, verdict): Promise<OutgoingMessage[]> => {
        if (verdict.kind === "decided") {
          deps.logger.info(
            { orderId, status: verdict.status },
            `prescription for ${orderId} already decided (${verdict.status})`,
          );
          return [];
        }
        if (verdict.kind === "cancelled") {
          deps.logger.info({ orderId }, `prescription for ${orderId} refused: order already cancelled`);
          return [
            {
              name: "PrescriptionFailed",
              value: { ...header, reason: ORDER_ALREADY_CANCELLED, rejectedItems: [] },
            },
          ];
        }
        const { check } = verdict;
        if (check.approved) {
          const prescriptionId = `rx-${deps.newId()}`;
          await savePrescription(
            t,
            { prescriptionId, orderId, status: "ISSUED", items: check.items, reason: null },
            people,
            now,
          );
          deps.logger.info(
            { orderId, prescriptionId },
            `prescription ${prescriptionId} issued for ${orderId}`,
          );
          return [
            {
              name: "PrescriptionCreated",
              value: { ...header, prescriptionId, ...people, items: check.items },
            },
          ];
        }
        await savePrescription(
          t,
          { prescriptionId: null, orderId, status: "REJECTED", items: [], reason: check.reason },
          people,
          now,
        );
        deps.logger.info({ orderId, reason: check.reason }, `prescription for ${orderId} rejected`);
        return [
          {
            name: "PrescriptionFailed",
            value: { ...header, reason: check.reason, rejectedItems: check.rejected },
          },
        ];
      },
    },
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
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [orderId]);
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
