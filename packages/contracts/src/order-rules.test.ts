import { describe, expect, it } from "vitest";
import type { OrderCreated } from "./generated/contracts.js";
import { orderCreatedProblems } from "./order-rules.js";

const valid: OrderCreated = {
  eventId: "5f0c6c0e-8a55-4a0b-9d0e-2b8f6f3d1a11",
  occurredAt: 1,
  orderId: "o-1",
  patientId: "p-1",
  prescriberId: null,
  items: [{ sku: "IBU-200", quantity: 1, unitPriceCents: 499 }],
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

describe("OrderCreated rules", () => {
  it("accepts a valid order", () => {
    expect(orderCreatedProblems(valid)).toEqual([]);
  });

  it("names every problem by its field", () => {
    const problems = orderCreatedProblems({
      ...valid,
      items: [{ sku: "", quantity: 0, unitPriceCents: -1 }],
      shippingAddress: { ...valid.shippingAddress, country: "usa" },
    });
    expect(problems).toEqual([
      "items[0].sku must not be empty",
      "items[0].quantity must be a whole number of at least 1",
      "items[0].unitPriceCents must be a whole number of at least 0",
      "shippingAddress.country must be an ISO 3166-1 alpha-2 code such as US",
    ]);
  });

  it("refuses an order without items", () => {
    expect(orderCreatedProblems({ ...valid, items: [] })).toEqual(["items must list at least one item"]);
  });
});
