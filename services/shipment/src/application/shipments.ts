import type { ShippingAddress, TraceContext } from "@fulfillment/contracts";
import { appendToOutbox } from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { carrierFor, serviceability } from "../domain/destination.js";

export interface ShipmentDeps extends ApplicationDeps {
  trackingNumber: () => string;
}

interface ShipmentRow {
  order_id: string;
  address: ShippingAddress | null;
  reservation_id: string | null;
  status: "AWAITING_ADDRESS" | "AWAITING_RESERVATION" | "INITIATED" | "FAILED" | "CANCELLED";
}

/** Records what arrived (the address or the reservation); once both are known, decides the shipment once. */
export async function recordShipmentInput(
  trx: Knex.Transaction,
  orderId: string,
  input: { address: ShippingAddress; patientId: string } | { reservationId: string },
  deps: ShipmentDeps,
  cause: TraceContext,
): Promise<void> {
  const now = deps.now();
  await trx("shipments")
    .insert({
      order_id: orderId,
      status: "address" in input ? "AWAITING_RESERVATION" : "AWAITING_ADDRESS",
      created_at: now,
      updated_at: now,
    })
    .onConflict("order_id")
    .ignore();
  if ("patientId" in input)
    await trx("shipments").where({ order_id: orderId }).update({ patient_id: input.patientId });
  const row = (await trx("shipments").where({ order_id: orderId }).forUpdate().first()) as ShipmentRow;
  if (row.status === "INITIATED" || row.status === "FAILED" || row.status === "CANCELLED") return;
  const address = "address" in input ? input.address : row.address;
  const reservationId = "reservationId" in input ? input.reservationId : row.reservation_id;
  if (!address || !reservationId) {
    await trx("shipments")
      .where({ order_id: orderId })
      .update({
        address: address ? JSON.stringify(address) : null,
        reservation_id: reservationId,
        updated_at: now,
      });
    return;
  }
  const inputs = { address: JSON.stringify(address), reservation_id: reservationId, updated_at: now };
  const destinations = new Set((await trx("serviceable_destinations").pluck("code")) as string[]);
  const verdict = serviceability(address, destinations);
  const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
  if (verdict.serviceable) {
    const shipment = {
      shipmentId: `shp-${deps.newId()}`,
      trackingNumber: deps.trackingNumber(),
      carrier: carrierFor(address.country),
    };
    await trx("shipments")
      .where({ order_id: orderId })
      .update({
        ...inputs,
        status: "INITIATED",
        shipment_id: shipment.shipmentId,
        tracking_number: shipment.trackingNumber,
        carrier: shipment.carrier,
      });
    await appendToOutbox(
      trx,
      [{ name: "ShipmentInitiated", value: { ...header, ...shipment, destinationCountry: address.country } }],
      cause,
    );
    deps.logger.info({ orderId, shipmentId: shipment.shipmentId }, `shipment initiated for ${orderId}`);
  } else {
    await trx("shipments")
      .where({ order_id: orderId })
      .update({ ...inputs, status: "FAILED", reason: verdict.reason });
    await appendToOutbox(
      trx,
      [{ name: "ShipmentInitiationFailed", value: { ...header, reason: verdict.reason } }],
      cause,
    );
    deps.logger.info({ orderId, reason: verdict.reason }, `shipment for ${orderId} failed`);
  }
}

/**
 * On SagaFailed: a shipment cannot be undone, so an order whose saga has failed is never
 * shipped, even if its reservation arrives late. A shipment already initiated stays as it is.
 */
export async function cancelIfUndecided(
  trx: Knex.Transaction,
  orderId: string,
  reason: string,
  deps: ShipmentDeps,
): Promise<void> {
  const now = deps.now();
  const updated = await trx("shipments")
    .insert({ order_id: orderId, status: "CANCELLED", reason, created_at: now, updated_at: now })
    .onConflict("order_id")
    .merge({ status: "CANCELLED", reason, updated_at: now })
    .where("shipments.status", "in", ["AWAITING_ADDRESS", "AWAITING_RESERVATION"])
    .returning("order_id");
  if (updated.length > 0) deps.logger.info({ orderId }, `saga for ${orderId} failed: it will not be shipped`);
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
