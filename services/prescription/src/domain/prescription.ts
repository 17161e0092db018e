import type { PrescribedItem } from "@fulfillment/contracts";

/**
 * The prescription decision for one order. VOIDED is a tombstone: the order was cancelled before
 * it was seen here, so a late OrderCreated must not issue a prescription.
 */
export type PrescriptionStatus = "ISSUED" | "REJECTED" | "CANCELLED" | "VOIDED";

export interface Prescription {
  prescriptionId: string | null;
  orderId: string;
  status: PrescriptionStatus;
  items: PrescribedItem[];
  reason: string | null;
}

export interface CancelDecision {
  next: Prescription;
  /** The prescription that was cancelled, or null when there was none (the cancellation is still confirmed). */
  cancelledId: string | null;
}

/** Cancelling is always confirmed, and has an effect at most once. */
export function cancelPrescription(
  orderId: string,
  current: Prescription | null,
  reason: string,
): CancelDecision {
  if (!current)
    return {
      next: { prescriptionId: null, orderId, status: "VOIDED", items: [], reason },
      cancelledId: null,
    };
  if (current.status === "ISSUED")
    return { next: { ...current, status: "CANCELLED", reason }, cancelledId: current.prescriptionId };
  return { next: current, cancelledId: current.status === "CANCELLED" ? current.prescriptionId : null };
}
