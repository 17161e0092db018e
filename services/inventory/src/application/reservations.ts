import type { PrescriptionCreated, TraceContext } from "@fulfillment/contracts";
import {
  appendToOutbox,
  answerStepRequest,
  lockOrderId,
  ORDER_ALREADY_CANCELLED,
  type OutgoingMessage,
} from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import {
  releaseReservation,
  reserveStock,
  type Reservation,
  type ReservationVerdict,
} from "../domain/stock.js";
import {
  adjustReserved,
  lockReservation,
  lockStock,
  saveReservation,
} from "../persistence/stock-repository.js";

export type InventoryDeps = ApplicationDeps;

/**
 * On PrescriptionCreated: reserve every line atomically or none, once per order. After the order's
 * tombstone (VOIDED) it is answered with InventoryReservationFailed, by the shared tombstone rule.
 */
export async function reserveForPrescription(
  trx: Knex.Transaction,
  prescription: PrescriptionCreated,
  deps: InventoryDeps,
  cause: TraceContext,
): Promise<void> {
  const { orderId, items } = prescription;
  const now = deps.now();
  const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
  await answerStepRequest<Reservation, ReservationVerdict>(
    trx,
    orderId,
    {
      step: "reservation",
      lock: (t) => lockReservation(t, orderId),
      refusal: () => ({
        name: "InventoryReservationFailed",
        value: { ...header, reason: ORDER_ALREADY_CANCELLED, shortLines: [] },
      }),
      decide: async (t) =>
        reserveStock(
          items,
          await lockStock(
            t,
            items.map((i) => i.sku),
          ),
        ),
      save: async (t, verdict): Promise<OutgoingMessage[]> => {
        if (verdict.reserved) {
          const reservationId = `res-${deps.newId()}`;
          const lines = verdict.lines;
          await adjustReserved(t, lines, 1);
          await saveReservation(t, { orderId, reservationId, status: "RESERVED", lines }, null, now);
          deps.logger.info({ orderId, reservationId }, `reserved stock for ${orderId}`);
          return [{ name: "InventoryReserved", value: { ...header, reservationId, lines } }];
        }
        const { reason, shortLines } = verdict;
        await saveReservation(
          t,
          { orderId, reservationId: null, status: "REJECTED", lines: [] },
          reason,
          now,
        );
        deps.logger.info({ orderId, reason }, `reservation for ${orderId} failed`);
        return [{ name: "InventoryReservationFailed", value: { ...header, reason, shortLines } }];
      },
    },
    deps.logger,
    cause,
  );
}

/** On ReleaseInventory: release once, confirm every time (a release of nothing is a confirmed no-op). */
export async function releaseForOrder(
  trx: Knex.Transaction,
  orderId: string,
  reason: string,
  deps: InventoryDeps,
  cause: TraceContext,
): Promise<void> {
  await lockOrderId(trx, orderId);
  const current = await lockReservation(trx, orderId);
  const { next, released } = releaseReservation(orderId, current);
  const now = deps.now();
  if (released.length > 0) {
    await lockStock(
      trx,
      released.map((l) => l.sku),
    );
    await adjustReserved(trx, released, -1);
  }
  if (next !== current) await saveReservation(trx, next, reason, now);
  await appendToOutbox(
    trx,
    [
      {
        name: "InventoryReleased",
        value: {
          eventId: deps.newId(),
          occurredAt: now.getTime(),
          orderId,
          reservationId: released.length > 0 ? next.reservationId : null,
          lines: released,
          reason,
        },
      },
    ],
    cause,
  );
  deps.logger.info(
    { orderId, from: current?.status ?? "NONE", to: next.status },
    `release for ${orderId} confirmed`,
  );
}

/**
 * On SagaFailed: an order whose saga has failed must not get stock reserved late. Leaves a
 * tombstone when nothing was reserved yet; a reservation already made waits for ReleaseInventory.
 */
export async function voidIfUnreserved(
  trx: Knex.Transaction,
  orderId: string,
  deps: InventoryDeps,
): Promise<void> {
  await lockOrderId(trx, orderId);
  if (await lockReservation(trx, orderId)) return;
  await saveReservation(
    trx,
    { orderId, reservationId: null, status: "VOIDED", lines: [] },
    "saga failed before stock was reserved",
    deps.now(),
  );
  deps.logger.info(
    { orderId },
    `saga for ${orderId} failed before any reservation: no stock will be reserved for it`,
  );
}

/** Adds stock on hand for a SKU, creating it if new; returns the new level. */
export async function restock(
  knex: Knex,
  sku: string,
  quantity: number,
): Promise<{ sku: string; onHand: number; reserved: number }> {
  const [row] = await knex("stock")
    .insert({ sku, on_hand: quantity })
    .onConflict("sku")
    .merge({ on_hand: knex.raw("stock.on_hand + ?", [quantity]), updated_at: knex.fn.now() })
    .returning<{ sku: string; on_hand: number; reserved: number }[]>(["sku", "on_hand", "reserved"]);
  return { sku: row!.sku, onHand: row!.on_hand, reserved: row!.reserved };
}
