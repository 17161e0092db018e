import type { Knex } from "knex";
import type { FormularyEntry } from "../domain/formulary.js";

/** The demo formulary, loaded on first start (README, "Seed data"). */
export const DEMO_FORMULARY: FormularyEntry[] = [
  { sku: "AMOX-500", name: "Amoxicillin 500 mg capsules", prescriptionOnly: true, maxQuantity: 3 },
  { sku: "LISIN-10", name: "Lisinopril 10 mg tablets", prescriptionOnly: true, maxQuantity: 2 },
  { sku: "IBU-200", name: "Ibuprofen 200 mg tablets", prescriptionOnly: false, maxQuantity: 5 },
  { sku: "VITD-1000", name: "Vitamin D3 1000 IU", prescriptionOnly: false, maxQuantity: 10 },
  { sku: "ORPHAN-1", name: "Orphan drug (rarely stocked)", prescriptionOnly: false, maxQuantity: 5 },
];

export async function seedFormulary(knex: Knex): Promise<void> {
  await knex("formulary")
    .insert(
      DEMO_FORMULARY.map((e) => ({
        sku: e.sku,
        name: e.name,
        prescription_only: e.prescriptionOnly,
        max_quantity: e.maxQuantity,
      })),
    )
    .onConflict("sku")
    .ignore();
}
