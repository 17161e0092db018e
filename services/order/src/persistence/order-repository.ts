import type { OrderCreated } from "@fulfillment/contracts";
import type { Knex } from "knex";
import type { Order } from "../domain/order.js";

export interface OrderRow {
  order_id: string;
  status: Order["status"];
  patient_id: string | null;
  details: OrderCreated | null;
  saga_status: string | null;
  cancel_reason: string | null;
  /** The ordering client that placed it over REST (its token's subject), or null. */
  placed_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toOrder(row: OrderRow): Order {
  if (row.status === "CANCELLED")
    return {
      status: "CANCELLED",
      details: row.details,
      sagaStatus: row.saga_status,
      reason: row.cancel_reason ?? "",
    };
  if (!row.details) throw new Error(`order ${row.order_id} is ${row.status} without details`);
  return { status: row.status, details: row.details, sagaStatus: row.saga_status };
}

/** Loads an order and locks it for the rest of the transaction. */
export async function lockOrder(trx: Knex.Transaction, orderId: string): Promise<Order | null> {
  const row = (await trx("orders").where({ order_id: orderId }).forUpdate().first()) as OrderRow | undefined;
  return row ? toOrder(row) : null;
}

export async function saveOrder(
  trx: Knex.Transaction,
  orderId: string,
  order: Order,
  now: Date,
): Promise<void> {
  const values = {
    status: order.status,
    patient_id: order.details?.patientId ?? null,
    details: order.details ? JSON.stringify(order.details) : null,
    saga_status: order.sagaStatus,
    cancel_reason: order.status === "CANCELLED" ? order.reason : null,
    updated_at: now,
  };
  await trx("orders")
    .insert({ order_id: orderId, created_at: now, ...values })
    .onConflict("order_id")
    .merge(values);
}

/** Records which client placed an order over REST, so it can read it back. */
export async function recordPlacedBy(
  trx: Knex.Transaction,
  orderId: string,
  clientId: string,
): Promise<void> {
  await trx("orders").where({ order_id: orderId }).update({ placed_by: clientId });
}

export async function findOrder(db: Knex, orderId: string): Promise<OrderRow | undefined> {
  return (await db("orders").where({ order_id: orderId }).first()) as OrderRow | undefined;
}
