import type { Knex } from "knex";

/** Demo stock levels, loaded on first start (README, "Seed data"). ORPHAN-1 is never stocked. */
export const DEMO_STOCK: Array<{ sku: string; onHand: number }> = [
  { sku: "AMOX-500", onHand: 200 },
  { sku: "LISIN-10", onHand: 100 },
  { sku: "IBU-200", onHand: 500 },
  { sku: "VITD-1000", onHand: 300 },
  { sku: "ORPHAN-1", onHand: 0 },
];

export async function seedStock(knex: Knex): Promise<void> {
  await knex("stock")
    .insert(DEMO_STOCK.map((s) => ({ sku: s.sku, on_hand: s.onHand })))
    .onConflict("sku")
    .ignore();
}
