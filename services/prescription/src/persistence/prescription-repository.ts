import type { Knex } from "knex";
import type { FormularyEntry } from "../domain/formulary.js";
import type { Prescription } from "../domain/prescription.js";

export interface PrescriptionRow {
  order_id: string;
  prescription_id: string | null;
  patient_id: string | null;
  prescriber_id: string | null;
  status: Prescription["status"];
  items: Prescription["items"];
  reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function loadFormulary(db: Knex): Promise<Map<string, FormularyEntry>> {
  const rows = await db("formulary").select("sku", "name", "prescription_only", "max_quantity");
  return new Map(
    rows.map((r: { sku: string; name: string; prescription_only: boolean; max_quantity: number }) => [
      r.sku,
      { sku: r.sku, name: r.name, prescriptionOnly: r.prescription_only, maxQuantity: r.max_quantity },
    ]),
  );
}

/** Claims the order's row (so concurrent deliveries wait) and returns the prescription already decided, if any. */
export async function lockPrescription(trx: Knex.Transaction, orderId: string): Promise<Prescription | null> {
  const row = (await trx("prescriptions").where({ order_id: orderId }).forUpdate().first()) as
    PrescriptionRow | undefined;
  if (!row) return null;
  return {
    prescriptionId: row.prescription_id,
    orderId,
    status: row.status,
    items: row.items,
    reason: row.reason,
  };
}

export async function savePrescription(
  trx: Knex.Transaction,
  prescription: Prescription,
  people: { patientId: string | null; prescriberId: string | null },
  now: Date,
): Promise<void> {
  const values = {
    prescription_id: prescription.prescriptionId,
    status: prescription.status,
    items: JSON.stringify(prescription.items),
    reason: prescription.reason,
    updated_at: now,
  };
  await trx("prescriptions")
    .insert({
      order_id: prescription.orderId,
      patient_id: people.patientId,
      prescriber_id: people.prescriberId,
      created_at: now,
      ...values,
    })
    .onConflict("order_id")
    .merge(values);
}
