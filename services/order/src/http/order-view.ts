import type { OrderRow } from "../persistence/order-repository.js";

/** Where clients follow an order and its saga. */
export function orderLinks(orderId: string, sagaTrackerUrl: string) {
  return {
    order: `/api/orders/${encodeURIComponent(orderId)}`,
    saga: `${sagaTrackerUrl}/api/sagas/${encodeURIComponent(orderId)}`,
  };
}

/** An order as the API shows it. */
export function orderView(row: OrderRow, sagaTrackerUrl: string) {
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
