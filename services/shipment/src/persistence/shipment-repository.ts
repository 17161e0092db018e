import type { ShippingAddress } from "@fulfillment/contracts";
import type { Knex } from "knex";
import {
  firstStatus,
  type ShipmentInput,
  type ShipmentState,
  type ShipmentStatus,
} from "../domain/shipment.js";

interface ShipmentRow {
  order_id: string;
  address: ShippingAddress | null;
  reservation_id: string | null;
  status: ShipmentStatus;
}

/** A shipment initiated with a carrier, as recorded and announced. */
export interface InitiatedShipment {
  shipmentId: string;
  trackingNumber: string;
  carrier: string;
}

/**
 * Makes sure the order's row exists (waiting for the other input), records the patient when the
 * address brings one, and claims the row FOR UPDATE so concurrent inputs for the order take turns.
 */
export async function claimShipment(
  trx: Knex.Transaction,
  orderId: string,
  input: ShipmentInput & { patientId?: string },
  now: Date,
): Promise<ShipmentState> {
  await trx("shipments")
    .insert({ order_id: orderId, status: firstStatus(input), created_at: now, updated_at: now })
    .onConflict("order_id")
    .ignore();
  if (input.patientId !== undefined)
    await trx("shipments").where({ order_id: orderId }).update({ patient_id: input.patientId });
  const row = (await trx("shipments").where({ order_id: orderId }).forUpdate().first()) as ShipmentRow;
  return { status: row.status, address: row.address, reservationId: row.reservation_id };
}

export async function loadDestinations(trx: Knex.Transaction): Promise<Set<string>> {
  return new Set((await trx("serviceable_destinations").pluck("code")) as string[]);
}

/** Keeps the inputs known so far; the status stays as it is (still waiting). */
export async function saveInputs(
  trx: Knex.Transaction,
  orderId: string,
  inputs: { address: ShippingAddress | null; reservationId: string | null },
  now: Date,
): Promise<void> {
  await trx("shipments")
    .where({ order_id: orderId })
    .update({
      address: inputs.address ? JSON.stringify(inputs.address) : null,
      reservation_id: inputs.reservationId,
      updated_at: now,
    });
}

/** Records the decision, with both inputs: INITIATED with its shipment, or FAILED with its reason. */
export async function saveDecision(
  trx: Knex.Transaction,
  orderId: string,
  decision:
    | { status: "INITIATED"; address: ShippingAddress; reservationId: string; shipment: InitiatedShipment }
    | { status: "FAILED"; address: ShippingAddress; reservationId: string; reason: string },
  now: Date,
): Promise<void> {
  const inputs = {
    address: JSON.stringify(decision.address),
    reservation_id: decision.reservationId,
    updated_at: now,
  };
  await trx("shipments")
    .where({ order_id: orderId })
    .update(
      decision.status === "INITIATED"
        ? {
            ...inputs,
            status: "INITIATED",
            shipment_id: decision.shipment.shipmentId,
            tracking_number: decision.shipment.trackingNumber,
            carrier: decision.shipment.carrier,
          }
        : { ...inputs, status: "FAILED", reason: decision.reason },
    );
}

/** Cancels an undecided shipment (or leaves a CANCELLED row); true when this call changed something. */
export async function cancelUndecided(
  trx: Knex.Transaction,
  orderId: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const updated = await trx("shipments")
    .insert({ order_id: orderId, status: "CANCELLED", reason, created_at: now, updated_at: now })
    .onConflict("order_id")
    .merge({ status: "CANCELLED", reason, updated_at: now })
    .where("shipments.status", "in", ["AWAITING_ADDRESS", "AWAITING_RESERVATION"])
    .returning("order_id");
  return updated.length > 0;
}

/** Loads the configured destinations on first start only, so later changes through the API stand. */
export async function seedDestinations(knex: Knex, codes: readonly string[]): Promise<void> {
  const existing = await knex("serviceable_destinations").count<{ count: string }[]>("* as count").first();
  if (Number(existing?.count ?? 0) > 0) return;
  await knex("serviceable_destinations")
    .insert(codes.map((code) => ({ code })))
    .onConflict("code")
    .ignore();
}
