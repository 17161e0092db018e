import { z } from "zod";
import type { PrescriptionRow } from "../persistence/prescription-repository.js";

export const PRESCRIPTION_STATUSES = ["ISSUED", "REJECTED", "CANCELLED", "VOIDED"] as const;

/** A prescription as the API shows it: one per order. */
export const prescriptionViewSchema = z
  .object({
    prescriptionId: z
      .string()
      .nullable()
      .meta({ description: "Null when none was issued (REJECTED, VOIDED)." }),
    orderId: z.string(),
    status: z.enum(PRESCRIPTION_STATUSES),
    patientId: z.string().nullable(),
    prescriberId: z.string().nullable(),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int() }).strict()),
    reason: z.string().nullable().meta({ description: "Why it was rejected or cancelled." }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: "Prescription" });

/** A drug of the formulary: the rules an order's item must pass. */
export const formularyEntrySchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    prescriptionOnly: z.boolean().meta({ description: "Needs a prescriber on the order." }),
    maxQuantity: z.number().int().meta({ description: "The most one order may hold." }),
  })
  .strict()
  .meta({ id: "FormularyEntry" });

export type PrescriptionView = z.infer<typeof prescriptionViewSchema>;
export type FormularyEntryView = z.infer<typeof formularyEntrySchema>;

export const prescriptionView = (r: PrescriptionRow): PrescriptionView => ({
  prescriptionId: r.prescription_id,
  orderId: r.order_id,
  status: r.status,
  patientId: r.patient_id,
  prescriberId: r.prescriber_id,
  items: r.items,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export const formularyEntryView = (r: {
  sku: string;
  name: string;
  prescription_only: boolean;
  max_quantity: number;
}): FormularyEntryView => ({
  sku: r.sku,
  name: r.name,
  prescriptionOnly: r.prescription_only,
  maxQuantity: r.max_quantity,
});
