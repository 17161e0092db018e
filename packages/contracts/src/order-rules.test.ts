import { describe, expect, it } from "vitest";
import { sampleOrder } from "./order.fixture.js";
import { orderCreatedProblems } from "./order-rules.js";

const valid = sampleOrder;

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
