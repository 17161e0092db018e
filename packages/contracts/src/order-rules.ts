import type { OrderCreated } from "./generated/contracts.js";

const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * How large an order may be, wherever it enters: the REST API's request schema and every Kafka
 * consumer of OrderCreated read these, so an order one service refuses, all refuse. Identifiers
 * fit the services' indexes; the rest keep one record, and one saga, of a sane size.
 */
export const orderLimits = {
  /** orderId, patientId, prescriberId. */
  idLength: 100,
  skuLength: 64,
  quantity: { min: 1, max: 1_000 },
  items: { min: 1, max: 50 },
  /** shippingAddress.line1 and line2. */
  addressLineLength: 200,
  cityLength: 100,
  regionLength: 50,
  postalCodeLength: 20,
} as const;

/**
 * What OrderCreated promises beyond its Avro types: the sizes of orderLimits, at least one item,
 * whole quantities in range, non-negative prices, an ISO 3166-1 alpha-2 country. Returns one line
 * per problem, naming the field; empty when the order is valid. Every consumer of the public entry
 * point applies the same rules, so a bad order is refused the same way everywhere.
 */
export function orderCreatedProblems(order: OrderCreated): string[] {
  const problems: string[] = [];
  /** A text field: "required" must not be blank, "nullable" may be null but not blank, "optional" may be anything short. */
  const text = (
    field: string,
    value: string | null,
    max: number,
    kind: "required" | "nullable" | "optional" = "required",
  ) => {
    if (value === null) return;
    if (kind !== "optional" && value.trim() === "")
      problems.push(`${field} must ${kind === "required" ? "not be empty" : "be null or not empty"}`);
    else if (value.length > max)
      problems.push(`${field} is ${value.length} characters long, at most ${max} allowed`);
  };
  const { idLength, items, quantity } = orderLimits;
  text("orderId", order.orderId, idLength);
  text("patientId", order.patientId, idLength);
  text("prescriberId", order.prescriberId, idLength, "nullable");
  if (order.items.length < items.min) problems.push("items must list at least one item");
  if (order.items.length > items.max)
    problems.push(`items lists ${order.items.length} items, at most ${items.max} allowed`);
  order.items.slice(0, items.max).forEach((item, i) => {
    text(`items[${i}].sku`, item.sku, orderLimits.skuLength);
    if (!Number.isInteger(item.quantity) || item.quantity < quantity.min || item.quantity > quantity.max)
      problems.push(`items[${i}].quantity must be a whole number from ${quantity.min} to ${quantity.max}`);
    if (!Number.isInteger(item.unitPriceCents) || item.unitPriceCents < 0)
      problems.push(`items[${i}].unitPriceCents must be a whole number of at least 0`);
  });
  const address = order.shippingAddress;
  text("shippingAddress.line1", address.line1, orderLimits.addressLineLength);
  text("shippingAddress.line2", address.line2, orderLimits.addressLineLength, "optional");
  text("shippingAddress.city", address.city, orderLimits.cityLength);
  text("shippingAddress.region", address.region, orderLimits.regionLength, "optional");
  text("shippingAddress.postalCode", address.postalCode, orderLimits.postalCodeLength);
  if (!COUNTRY.test(address.country))
    problems.push("shippingAddress.country must be an ISO 3166-1 alpha-2 code such as US");
  if (!CURRENCY.test(order.currency)) problems.push("currency must be an ISO 4217 code such as USD");
  return problems;
}
