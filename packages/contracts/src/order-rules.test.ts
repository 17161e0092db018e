import { describe, expect, it } from "vitest";
import { sampleOrder } from "./order.fixture.js";
import { orderCreatedProblems, orderLimits } from "./order-rules.js";

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
      "items[0].quantity must be a whole number from 1 to 1000",
      "items[0].unitPriceCents must be a whole number of at least 0",
      "shippingAddress.country must be an ISO 3166-1 alpha-2 code such as US",
    ]);
  });

  it("refuses an order without items", () => {
    expect(orderCreatedProblems({ ...valid, items: [] })).toEqual(["items must list at least one item"]);
  });

  describe("sizes, the same as the REST API's (orderLimits)", () => {
    const long = (n: number) => "x".repeat(n);
    const address = (field: string, value: string) => ({
      ...valid,
      shippingAddress: { ...valid.shippingAddress, [field]: value },
    });
    const cases: Array<[string, number, (value: string) => typeof valid]> = [
      ["orderId", orderLimits.idLength, (v) => ({ ...valid, orderId: v })],
      ["patientId", orderLimits.idLength, (v) => ({ ...valid, patientId: v })],
      ["prescriberId", orderLimits.idLength, (v) => ({ ...valid, prescriberId: v })],
      ["items[0].sku", orderLimits.skuLength, (v) => ({ ...valid, items: [{ ...valid.items[0]!, sku: v }] })],
      ["shippingAddress.line1", orderLimits.addressLineLength, (v) => address("line1", v)],
      ["shippingAddress.line2", orderLimits.addressLineLength, (v) => address("line2", v)],
      ["shippingAddress.city", orderLimits.cityLength, (v) => address("city", v)],
      ["shippingAddress.region", orderLimits.regionLength, (v) => address("region", v)],
      ["shippingAddress.postalCode", orderLimits.postalCodeLength, (v) => address("postalCode", v)],
    ];

    it.each(cases)(
      "takes %s at its limit (%i) and refuses one character more, naming both",
      (field, max, order) => {
        expect(orderCreatedProblems(order(long(max)))).toEqual([]);
        expect(orderCreatedProblems(order(long(max + 1)))).toEqual([
          `${field} is ${max + 1} characters long, at most ${max} allowed`,
        ]);
      },
    );

    it("refuses a megabyte patientId with one short line, not the value", () => {
      const [problem] = orderCreatedProblems({ ...valid, patientId: long(1_000_000) });
      expect(problem).toBe("patientId is 1000000 characters long, at most 100 allowed");
    });

    it("takes up to 50 items, and refuses the 51st", () => {
      const items = (n: number) => Array.from({ length: n }, () => valid.items[0]!);
      expect(orderCreatedProblems({ ...valid, items: items(50) })).toEqual([]);
      expect(orderCreatedProblems({ ...valid, items: items(51) })).toEqual([
        "items lists 51 items, at most 50 allowed",
      ]);
    });

    it("takes quantities from 1 to 1000", () => {
      const quantity = (q: number) =>
        orderCreatedProblems({ ...valid, items: [{ ...valid.items[0]!, quantity: q }] });
      expect(quantity(1)).toEqual([]);
      expect(quantity(1000)).toEqual([]);
      expect(quantity(1001)).toEqual(["items[0].quantity must be a whole number from 1 to 1000"]);
      expect(quantity(2.5)).toEqual(["items[0].quantity must be a whole number from 1 to 1000"]);
    });

    it("lets the optional address fields be empty, as before, but not a blank prescriber", () => {
      expect(orderCreatedProblems({ ...address("line2", ""), prescriberId: " " })).toEqual([
        "prescriberId must be null or not empty",
      ]);
    });
  });
});
