import type { OrderCreated } from "./generated/contracts.js";

const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * What OrderCreated promises beyond its Avro types: at least one item, whole positive
 * quantities, non-negative prices, an ISO 3166-1 alpha-2 country. Returns one line per problem,
 * naming the field; empty when the order is valid. Every consumer of the public entry point
 * applies the same rules, so a bad order is refused the same way everywhere.
 */
export function orderCreatedProblems(order: OrderCreated): string[] {
  const problems: string[] = [];
  const blank = (value: string | null) => value !== null && value.trim() === "";
  if (blank(order.orderId)) problems.push("orderId must not be empty");
  if (blank(order.patientId)) problems.push("patientId must not be empty");
  if (blank(order.prescriberId)) problems.push("prescriberId must be null or not empty");
  if (order.items.length === 0) problems.push("items must list at least one item");
  order.items.forEach((item, i) => {
    if (blank(item.sku)) problems.push(`items[${i}].sku must not be empty`);
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      problems.push(`items[${i}].quantity must be a whole number of at least 1`);
    if (!Number.isInteger(item.unitPriceCents) || item.unitPriceCents < 0)
      problems.push(`items[${i}].unitPriceCents must be a whole number of at least 0`);
  });
  const address = order.shippingAddress;
  for (const field of ["line1", "city", "postalCode"] as const) {
    if (blank(address[field])) problems.push(`shippingAddress.${field} must not be empty`);
  }
  if (!COUNTRY.test(address.country))
    problems.push("shippingAddress.country must be an ISO 3166-1 alpha-2 code such as US");
  if (!CURRENCY.test(order.currency)) problems.push("currency must be an ISO 4217 code such as USD");
  return problems;
}
