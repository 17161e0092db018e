import { z } from "zod";
import type { ShipmentStatus } from "../domain/shipment.js";

export const SHIPMENT_STATUSES = [
  "AWAITING_ADDRESS",
  "AWAITING_RESERVATION",
  "INITIATED",
  "FAILED",
  "CANCELLED",
] as const satisfies readonly ShipmentStatus[];

/** A shipments row, as the repository reads it. */
export interface ShipmentRow {
  order_id: string;
  patient_id: string | null;
  status: ShipmentStatus;
  shipment_id: string | null;
  tracking_number: string | null;
  carrier: string | null;
  reason: string | null;
  address: { country: string; region: string | null } | null;
  created_at: Date;
  updated_at: Date;
}

/** An order's shipment as the API shows it (no address: only its country). */
export const shipmentViewSchema = z
  .object({
    orderId: z.string(),
    status: z.enum(SHIPMENT_STATUSES),
    shipmentId: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    carrier: z.string().nullable(),
    destinationCountry: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "Why it failed or was cancelled." }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: "Shipment" });

export type ShipmentView = z.infer<typeof shipmentViewSchema>;

export const shipmentView = (r: ShipmentRow): ShipmentView => ({
  orderId: r.order_id,
  status: r.status,
  shipmentId: r.shipment_id,
  trackingNumber: r.tracking_number,
  carrier: r.carrier,
  destinationCountry: r.address?.country ?? null,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
