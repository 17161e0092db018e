import type { OrderCreated, TraceContext } from "@fulfillment/contracts";
import { appendToOutbox } from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { checkAgainstFormulary } from "../domain/formulary.js";
import { cancelPrescription } from "../domain/prescription.js";
import { loadFormulary, lockPrescription, savePrescription } from "../persistence/prescription-repository.js";

export type PrescriptionDeps = ApplicationDeps;

/** On OrderCreated: decide the order's prescription once (idempotent on the order id). */
export async function prescribe(
  trx: Knex.Transaction,
  order: OrderCreated,
  deps: PrescriptionDeps,
  cause: TraceContext,
): Promise<void> {
  const { orderId } = order;
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [orderId]);
  const existing = await lockPrescription(trx, orderId);
  if (existing) {
    deps.logger.info(
      { orderId, status: existing.status },
      `prescription for ${orderId} already decided (${existing.status})`,
    );
    return;
  }
  const now = deps.now();
  const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
  const people = { patientId: order.patientId, prescriberId: order.prescriberId };
  const verdict = checkAgainstFormulary(order, await loadFormulary(trx));
  if (verdict.approved) {
    const prescriptionId = `rx-${deps.newId()}`;
    await savePrescription(
      trx,
      { prescriptionId, orderId, status: "ISSUED", items: verdict.items, reason: null },
      people,
      now,
    );
    await appendToOutbox(
      trx,
      [
        {
          name: "PrescriptionCreated",
          value: { ...header, prescriptionId, ...people, items: verdict.items },
        },
      ],
      cause,
    );
    deps.logger.info({ orderId, prescriptionId }, `prescription ${prescriptionId} issued for ${orderId}`);
  } else {
    await savePrescription(
      trx,
      { prescriptionId: null, orderId, status: "REJECTED", items: [], reason: verdict.reason },
      people,
      now,
    );
    await appendToOutbox(
      trx,
      [
        {
          name: "PrescriptionFailed",
          value: { ...header, reason: verdict.reason, rejectedItems: verdict.rejected },
        },
      ],
      cause,
    );
    deps.logger.info({ orderId, reason: verdict.reason }, `prescription for ${orderId} rejected`);
  }
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
