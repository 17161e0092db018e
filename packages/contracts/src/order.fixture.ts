import type { OrderCreated } from "./generated/contracts.js";

/** A valid OrderCreated for tests. */
export const sampleOrder: OrderCreated = {
  eventId: "5f0c6c0e-8a55-4a0b-9d0e-2b8f6f3d1a11",
  occurredAt: 1_700_000_000_000,
  orderId: "order-1",
  patientId: "patient-1",
  prescriberId: "dr-who",
  items: [{ sku: "AMOX-500", quantity: 2, unitPriceCents: 1299 }],
  shippingAddress: {
    line1: "1 Main St",
    line2: null,
    city: "Springfield",
    region: null,
    postalCode: "62701",
    country: "US",
  },
  currency: "USD",
};
