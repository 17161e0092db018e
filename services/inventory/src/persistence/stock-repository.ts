import type { ReservedLine } from "@fulfillment/contracts";
import type { Knex } from "knex";
import type { Reservation, StockLevel } from "../domain/stock.js";

/** Locks the stock rows of these SKUs, in SKU order so concurrent reservations cannot deadlock. */
export async function lockStock(trx: Knex.Transaction, skus: string[]): Promise<Map<string, StockLevel>> {
  const rows = await trx("stock")
    .whereIn("sku", [...new Set(skus)].sort())
    .orderBy("sku")
    .forUpdate()
    .select("sku", "on_hand", "reserved");
  return new Map(
    rows.map((r: { sku: string; on_hand: number; reserved: number }) => [
      r.sku,
      { sku: r.sku, onHand: r.on_hand, reserved: r.reserved },
    ]),
  );
}

/** Adds `sign * quantity` to the reserved count of each line's SKU. */
export async function adjustReserved(
  trx: Knex.Transaction,
  lines: readonly ReservedLine[],
  sign: 1 | -1,
): Promise<void> {
  for (const line of lines) {
    await trx("stock")
      .where({ sku: line.sku })
      .update({ reserved: trx.raw("reserved + ?", [sign * line.quantity]), updated_at: trx.fn.now() });
  }
}

export async function lockReservation(trx: Knex.Transaction, orderId: string): Promise<Reservation | null> {
  const row = (await trx("reservations").where({ order_id: orderId }).forUpdate().first()) as
    { reservation_id: string | null; status: Reservation["status"]; lines: ReservedLine[] } | undefined;
  return row ? { orderId, reservationId: row.reservation_id, status: row.status, lines: row.lines } : null;
}

export async function saveReservation(
  trx: Knex.Transaction,
  reservation: Reservation,
  reason: string | null,
  now: Date,
): Promise<void> {
  const values = {
    reservation_id: reservation.reservationId,
    status: reservation.status,
    lines: JSON.stringify(reservation.lines),
    reason,
    updated_at: now,
  };
  await trx("reservations")
    .insert({ order_id: reservation.orderId, created_at: now, ...values })
    .onConflict("order_id")
    .merge(values);
}
