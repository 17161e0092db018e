import { z } from "zod";
import type { OrderRow } from "../persistence/order-repository.js";

const linksSchema = z
  .object({
    order: z.string().meta({ description: "This order, on this service." }),
    saga: z.string().meta({ description: "Its saga, on the saga tracker." }),
  })
  .strict()
  .meta({ id: "OrderLinks", description: "Where clients follow an order and its saga." });

/** An order as the API shows it. */
export const orderViewSchema = z
  .object({
    orderId: z.string(),
    status: z.enum(["PLACED", "CANCELLED", "FULFILLED"]),
    fulfilmentStatus: z
      .string()
      .nullable()
      .meta({ description: "Its saga's status (the tracker's), null until the saga reports one." }),
    patientId: z.string().nullable(),
    prescriberId: z.string().nullable(),
    items: z.array(
      z.object({ sku: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int() }).strict(),
    ),
    shippingAddress: z
      .object({
        line1: z.string(),
        line2: z.string().nullable(),
        city: z.string(),
        region: z.string().nullable(),
        postalCode: z.string(),
        country: z.string(),
      })
      .strict()
      .nullable(),
    currency: z.string().nullable(),
    cancelReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    links: linksSchema,
  })
  .strict()
  .meta({ id: "Order" });

/** What POST /api/orders answers: the order accepted (or the one this Idempotency-Key placed before). */
export const placedOrderSchema = z
  .object({
    orderId: z.string(),
    status: z.literal("PLACED"),
    replayed: z.boolean().meta({
      description: "True when this Idempotency-Key placed the order before: nothing new was placed.",
    }),
    links: linksSchema,
  })
  .strict()
  .meta({ id: "PlacedOrder" });

export type OrderView = z.infer<typeof orderViewSchema>;
export type PlacedOrderView = z.infer<typeof placedOrderSchema>;

/** Where clients follow an order and its saga. */
export function orderLinks(orderId: string, sagaTrackerUrl: string): OrderView["links"] {
  return {
    order: `/api/orders/${encodeURIComponent(orderId)}`,
    saga: `${sagaTrackerUrl}/api/sagas/${encodeURIComponent(orderId)}`,
  };
}

/** An order as the API shows it. */
export function orderView(row: OrderRow, sagaTrackerUrl: string): OrderView {
  return {
    orderId: row.order_id,
    status: row.status,
    fulfilmentStatus: row.saga_status,
    patientId: row.patient_id,
    prescriberId: row.details?.prescriberId ?? null,
    items: row.details?.items ?? [],
    shippingAddress: row.details?.shippingAddress ?? null,
    currency: row.details?.currency ?? null,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    links: orderLinks(row.order_id, sagaTrackerUrl),
  };
}
