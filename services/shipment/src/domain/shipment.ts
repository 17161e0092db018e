import type { ShippingAddress } from "@fulfillment/contracts";
import { carrierFor, serviceability } from "./destination.js";

/** Where an order's shipment stands. The last three are final: a shipment is decided once. */
export type ShipmentStatus =
  "AWAITING_ADDRESS" | "AWAITING_RESERVATION" | "INITIATED" | "FAILED" | "CANCELLED";

/** What this service holds for an order: the two inputs a shipment needs, as far as they arrived. */
export interface ShipmentState {
  status: ShipmentStatus;
  address: ShippingAddress | null;
  reservationId: string | null;
}

/** One of the two inputs, in whichever order they arrive: OrderCreated's address, InventoryReserved's id. */
export type ShipmentInput = { address: ShippingAddress } | { reservationId: string };

/** What an arriving input leads to, before the destinations are consulted. */
export type InputOutcome =
  | { kind: "ignore"; status: ShipmentStatus }
  | { kind: "wait"; address: ShippingAddress | null; reservationId: string | null }
  | { kind: "ready"; address: ShippingAddress; reservationId: string };

/** Once both inputs are known: ship with a carrier, or fail because nobody delivers there. */
export type ShipmentVerdict =
  | { kind: "initiate"; address: ShippingAddress; reservationId: string; carrier: string }
  | { kind: "fail"; address: ShippingAddress; reservationId: string; reason: string };

/** The status a shipment's first row starts with: it waits for the input that has not arrived. */
export function firstStatus(input: ShipmentInput): ShipmentStatus {
  return "address" in input ? "AWAITING_RESERVATION" : "AWAITING_ADDRESS";
}

/**
 * Merges the arriving input into what is held. A decided or cancelled shipment ignores it (a
 * duplicate, or a reservation after the saga failed); the newer input wins over a held one.
 */
export function receiveInput(current: ShipmentState, input: ShipmentInput): InputOutcome {
  if (current.status === "INITIATED" || current.status === "FAILED" || current.status === "CANCELLED")
    return { kind: "ignore", status: current.status };
  const address = "address" in input ? input.address : current.address;
  const reservationId = "reservationId" in input ? input.reservationId : current.reservationId;
  if (!address || !reservationId) return { kind: "wait", address, reservationId };
  return { kind: "ready", address, reservationId };
}

/** Decides a shipment whose inputs are both known, against the serviceable destinations. */
export function decideShipment(
  ready: Extract<InputOutcome, { kind: "ready" }>,
  destinations: ReadonlySet<string>,
): ShipmentVerdict {
  const { address, reservationId } = ready;
  const verdict = serviceability(address, destinations);
  if (verdict.serviceable)
    return { kind: "initiate", address, reservationId, carrier: carrierFor(address.country) };
  return { kind: "fail", address, reservationId, reason: verdict.reason };
}
