import type { ReservedLine, ShortLine } from "@fulfillment/contracts";

export interface StockLevel {
  sku: string;
  onHand: number;
  reserved: number;
}

export type ReservationVerdict =
  { reserved: true; lines: ReservedLine[] } | { reserved: false; shortLines: ShortLine[]; reason: string };

/**
 * Reserves every line or none: lines of the same SKU are summed, and each SKU needs that much
 * available (on hand minus reserved). An unknown SKU has nothing available.
 */
export function reserveStock(
  lines: readonly ReservedLine[],
  levels: ReadonlyMap<string, StockLevel>,
): ReservationVerdict {
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
  const shortLines: ShortLine[] = [];
  for (const [sku, requested] of wanted) {
    const level = levels.get(sku);
    const available = level ? level.onHand - level.reserved : 0;
    if (available < requested) shortLines.push({ sku, requested, available: Math.max(0, available) });
  }
  if (shortLines.length > 0) {
    const reason = `not enough stock: ${shortLines.map((s) => `${s.sku} (requested ${s.requested}, available ${s.available})`).join(", ")}`;
    return { reserved: false, shortLines, reason };
  }
  return { reserved: true, lines: [...wanted].map(([sku, quantity]) => ({ sku, quantity })) };
}

/**
 * An order's reservation. VOIDED is a tombstone: released before it was ever made, so a late
 * request to reserve for that order is refused.
 */
export type ReservationStatus = "RESERVED" | "RELEASED" | "REJECTED" | "VOIDED";

export interface Reservation {
  orderId: string;
  reservationId: string | null;
  status: ReservationStatus;
  lines: ReservedLine[];
}

/** Releasing has an effect once (on a RESERVED reservation) and is confirmed every time. */
export function releaseReservation(
  orderId: string,
  current: Reservation | null,
): { next: Reservation; released: ReservedLine[] } {
  if (!current) return { next: { orderId, reservationId: null, status: "VOIDED", lines: [] }, released: [] };
  if (current.status === "RESERVED")
    return { next: { ...current, status: "RELEASED" }, released: current.lines };
  return { next: current, released: [] };
}
