import type { OrderCreated, PrescribedItem, RejectedItem } from "@fulfillment/contracts";

/** A medicine the pharmacy may dispense, and its rules. */
export interface FormularyEntry {
  sku: string;
  name: string;
  prescriptionOnly: boolean;
  maxQuantity: number;
}

export type FormularyVerdict =
  { approved: true; items: PrescribedItem[] } | { approved: false; rejected: RejectedItem[]; reason: string };

/**
 * Checks every item of an order against the formulary: it must be listed, a prescription-only
 * item needs a prescriber, and the quantity (summed over lines of the same SKU) must be within
 * the item's limit. Any broken rule rejects the order with a reason naming each item.
 */
export function checkAgainstFormulary(
  order: Pick<OrderCreated, "items" | "prescriberId">,
  formulary: ReadonlyMap<string, FormularyEntry>,
): FormularyVerdict {
  const quantities = new Map<string, number>();
  for (const item of order.items) quantities.set(item.sku, (quantities.get(item.sku) ?? 0) + item.quantity);
  const rejected: RejectedItem[] = [];
  for (const [sku, quantity] of quantities) {
    const entry = formulary.get(sku);
    if (!entry) {
      rejected.push({ sku, rule: "NOT_IN_FORMULARY", detail: `${sku} is not in the formulary` });
      continue;
    }
    if (entry.prescriptionOnly && !order.prescriberId) {
      rejected.push({
        sku,
        rule: "PRESCRIBER_REQUIRED",
        detail: `${sku} (${entry.name}) is prescription-only and the order has no prescriber`,
      });
    }
    if (quantity > entry.maxQuantity) {
      rejected.push({
        sku,
        rule: "QUANTITY_LIMIT_EXCEEDED",
        detail: `${sku} (${entry.name}): ${quantity} ordered, at most ${entry.maxQuantity} allowed`,
      });
    }
  }
  if (rejected.length > 0)
    return { approved: false, rejected, reason: rejected.map((r) => r.detail).join("; ") };
  return { approved: true, items: [...quantities].map(([sku, quantity]) => ({ sku, quantity })) };
}
