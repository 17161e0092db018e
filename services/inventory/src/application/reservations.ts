import type { PrescriptionCreated, TraceContext } from "@fulfillment/contracts";
import { appendToOutbox } from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { releaseReservation, reserveStock } from "../domain/stock.js";
import {
  adjustReserved,
  lockReservation,
  lockStock,
  saveReservation,
} from "../persistence/stock-repository.js";

export type InventoryDeps = ApplicationDeps;

/** On PrescriptionCreated: reserve every line atomically or none, once per order. */
export async function reserveForPrescription(
  trx: Knex.Transaction,
  prescription: PrescriptionCreated,
  deps: InventoryDeps,
  cause: TraceContext,
): Promise<void> {
  const { orderId } = prescription;
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [orderId]);
  const existing = await lockReservation(trx, orderId);
  const now = deps.now();
  const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
  if (existing?.status === "VOIDED") {
    // Released before it was requested (the saga gave up on this step): never reserve late.
    const reason = "the order's reservation was already released by the saga; nothing reserved";
    await appendToOutbox(
      trx,
      [{ name: "InventoryReservationFailed", value: { ...header, reason, shortLines: [] } }],
      cause,
    );
    deps.logger.info({ orderId }, `reservation for ${orderId} refused: already released`);
    return;
  }
  if (existing) {
    deps.logger.info(
      { orderId, status: existing.status },
      `reservation for ${orderId} already decided (${existing.status})`,
    );
    return;
  }
  const verdict = reserveStock(
    prescription.items,
    await lockStock(
      trx,
      prescription.items.map((i) => i.sku),
    ),
  );
  if (verdict.reserved) {
    const reservationId = `res-${deps.newId()}`;
    await adjustReserved(trx, verdict.lines, 1);
    await saveReservation(
      trx,
      { orderId, reservationId, status: "RESERVED", lines: verdict.lines },
      null,
      now,
    );
    await appendToOutbox(
      trx,
      [{ name: "InventoryReserved", value: { ...header, reservationId, lines: verdict.lines } }],
      cause,
    );
    deps.logger.info({ orderId, reservationId }, `reserved stock for ${orderId}`);
  } else {
    await saveReservation(
      trx,
      { orderId, reservationId: null, status: "REJECTED", lines: [] },
      verdict.reason,
      now,
    );
    await appendToOutbox(
      trx,
      [
        {
          name: "InventoryReservationFailed",
          value: { ...header, reason: verdict.reason, shortLines: verdict.shortLines },
        },
      ],
      cause,
    );
    deps.logger.info({ orderId, reason: verdict.reason }, `reservation for ${orderId} failed`);
  }
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
