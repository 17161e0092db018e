import type { ShippingAddress } from "@fulfillment/contracts";
import { describe, expect, it } from "vitest";
import {
  decideShipment,
  firstStatus,
  receiveInput,
  type ShipmentState,
  type ShipmentStatus,
} from "./shipment.js";

const address: ShippingAddress = {
  line1: "1 Main St",
  line2: null,
  city: "Springfield",
  region: "IL",
  postalCode: "62701",
  country: "US",
};
const elsewhere: ShippingAddress = { ...address, region: null, city: "Berlin", country: "DE" };
const destinations = new Set(["US", "CA-ON"]);

const held = (status: ShipmentStatus, has: Partial<Omit<ShipmentState, "status">> = {}): ShipmentState => ({
  status,
  address: null,
  reservationId: null,
  ...has,
});

describe("a shipment's first row", () => {
  it("waits for whichever input has not arrived", () => {
    expect(firstStatus({ address })).toBe("AWAITING_RESERVATION");
    expect(firstStatus({ reservationId: "res-1" })).toBe("AWAITING_ADDRESS");
  });
});

describe("receiving an input", () => {
  it("keeps waiting when only the address has arrived", () => {
    expect(receiveInput(held("AWAITING_RESERVATION"), { address })).toEqual({
      kind: "wait",
      address,
      reservationId: null,
    });
  });

  it("keeps waiting when only the reservation has arrived", () => {
    expect(receiveInput(held("AWAITING_ADDRESS"), { reservationId: "res-1" })).toEqual({
      kind: "wait",
      address: null,
      reservationId: "res-1",
    });
  });

  it("is ready when the reservation follows the address", () => {
    expect(receiveInput(held("AWAITING_RESERVATION", { address }), { reservationId: "res-1" })).toEqual({
      kind: "ready",
      address,
      reservationId: "res-1",
    });
  });

  it("is ready when the address follows the reservation", () => {
    expect(receiveInput(held("AWAITING_ADDRESS", { reservationId: "res-1" }), { address })).toEqual({
      kind: "ready",
      address,
      reservationId: "res-1",
    });
  });

  it("keeps waiting on a duplicate of the input already held, the newer copy winning", () => {
    expect(receiveInput(held("AWAITING_RESERVATION", { address }), { address: elsewhere })).toEqual({
      kind: "wait",
      address: elsewhere,
      reservationId: null,
    });
    expect(
      receiveInput(held("AWAITING_ADDRESS", { reservationId: "res-1" }), { reservationId: "res-2" }),
    ).toEqual({ kind: "wait", address: null, reservationId: "res-2" });
  });

  it.each(["INITIATED", "FAILED"] as const)("ignores any input once the shipment is %s", (status) => {
    const decided = held(status, { address, reservationId: "res-1" });
    expect(receiveInput(decided, { address })).toEqual({ kind: "ignore", status });
    expect(receiveInput(decided, { reservationId: "res-2" })).toEqual({ kind: "ignore", status });
  });

  it("ignores any input after the saga cancelled the shipment, so it is never shipped late", () => {
    expect(receiveInput(held("CANCELLED"), { reservationId: "res-1" })).toEqual({
      kind: "ignore",
      status: "CANCELLED",
    });
    expect(receiveInput(held("CANCELLED", { reservationId: "res-1" }), { address })).toEqual({
      kind: "ignore",
      status: "CANCELLED",
    });
  });
});

describe("deciding a shipment with both inputs", () => {
  it("initiates it with the country's carrier when the destination is serviceable", () => {
    expect(decideShipment({ kind: "ready", address, reservationId: "res-1" }, destinations)).toEqual({
      kind: "initiate",
      address,
      reservationId: "res-1",
      carrier: "UPS",
    });
  });

  it("fails it, naming the destination, when nobody delivers there", () => {
    expect(
      decideShipment({ kind: "ready", address: elsewhere, reservationId: "res-1" }, destinations),
    ).toEqual({
      kind: "fail",
      address: elsewhere,
      reservationId: "res-1",
      reason: "destination DE is not serviceable",
    });
  });
});
