import type { PrescriptionCreated, TraceContext } from "@fulfillment/contracts";
import {
  appendToOutbox,
  decideForOrder,
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

/** What PrescriptionCreated leads to, given the reservation this service already holds. */
type ReserveVerdict =
  | { kind: "decided"; status: Reservation["status"] }
  | { kind: "cancelled" }
  | { kind: "checked"; check: ReservationVerdict };

/**
 * On PrescriptionCreated: reserve every line atomically or none, once per order. An order already
 * cancelled (the VOIDED tombstone) is answered with InventoryReservationFailed and nothing reserved.
 */
export async function reserveForPrescription(
  trx: Knex.Transaction,
  prescription: PrescriptionCreated,
  deps: InventoryDeps,
  cause: TraceContext,
): Promise<void> {
  const { orderId } = prescription;
  const now = deps.now();
  const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
  await decideForOrder<Reservation | null, ReserveVerdict>(
    trx,
    orderId,
    {
      lock: (t) => lockReservation(t, orderId),
      decide: async (existing, t): Promise<ReserveVerdict> => {
        if (existing?.status === "VOIDED") return { kind: "cancelled" };
        if (existing) return { kind: "decided", status: existing.status };
        const skus = prescription.items.map((i) => i.sku);
        return { kind: "checked", check: reserveStock(prescription.items, await lockStock(t, skus)) };
      },
      save: async (t, verdict): Promise<OutgoingMessage[]> => {
        if (verdict.kind === "decided") {
          deps.logger.info(
            { orderId, status: verdict.status },
            `reservation for ${orderId} already decided (${verdict.status})`,
          );
          return [];
        }
        if (verdict.kind === "cancelled") {
          deps.logger.info({ orderId }, `reservation for ${orderId} refused: order already cancelled`);
          return [
            {
              name: "InventoryReservationFailed",
              value: { ...header, reason: ORDER_ALREADY_CANCELLED, shortLines: [] },
            },
          ];
        }
        const { check } = verdict;
        if (check.reserved) {
          const reservationId = `res-${deps.newId()}`;
          await adjustReserved(t, check.lines, 1);
          await saveReservation(
            t,
            { orderId, reservationId, status: "RESERVED", lines: check.lines },
            null,
            now,
          );
          deps.logger.info({ orderId, reservationId }, `reserved stock for ${orderId}`);
          return [{ name: "InventoryReserved", value: { ...header, reservationId, lines: check.lines } }];
        }
        await saveReservation(
          t,
          { orderId, reservationId: null, status: "REJECTED", lines: [] },
          check.reason,
          now,
        );
        deps.logger.info({ orderId, reason: check.reason }, `reservation for ${orderId} failed`);
        return [
          {
            name: "InventoryReservationFailed",
            value: { ...header, reason: check.reason, shortLines: check.shortLines },
          },
        ];
      },
    },
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
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [orderId]);
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
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [orderId]);
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
