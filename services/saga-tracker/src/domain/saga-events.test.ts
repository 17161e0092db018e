import { serviceTopics, topicOf } from "@fulfillment/contracts";
import { describe, expect, it } from "vitest";
import { listeners } from "./saga-events.js";

describe("the events of the saga's definition", () => {
  it("are heard on exactly the topics the tracker is allowed to read, no more and no fewer", () => {
    const heardOn = new Set(listeners.map((listener) => topicOf(listener.event)));
    expect([...heardOn].sort()).toEqual([...serviceTopics["saga-tracker"].consumes].sort());
  });

  it("are each heard once", () => {
    const events = listeners.map((listener) => listener.event);
    expect(new Set(events).size).toBe(events.length);
  });
});

describe("what the tracker learns from each event of the definition", () => {
  const learn = (event: string, value: object) => {
    const listener = listeners.find((l) => l.event === event);
    if (!listener) throw new Error(`no listener for ${event}`);
    return listener.learn(value as Parameters<typeof listener.learn>[0]);
  };

  it.each([
    ["OrderCreated", { patientId: "pat-1" }, { kind: "OrderPlaced" }, "order placed", "pat-1"],
    [
      "PrescriptionCreated",
      { prescriptionId: "rx-1" },
      { kind: "StepSucceeded", step: "prescription" },
      "prescription rx-1 created",
      undefined,
    ],
    [
      "PrescriptionFailed",
      { reason: "not on the formulary" },
      { kind: "StepFailed", step: "prescription", reason: "not on the formulary" },
      "not on the formulary",
      undefined,
    ],
    [
      "InventoryReserved",
      { reservationId: "res-1" },
      { kind: "StepSucceeded", step: "inventory" },
      "reservation res-1 made",
      undefined,
    ],
    [
      "InventoryReservationFailed",
      { reason: "out of stock" },
      { kind: "StepFailed", step: "inventory", reason: "out of stock" },
      "out of stock",
      undefined,
    ],
    [
      "ShipmentInitiated",
      { shipmentId: "shp-1", trackingNumber: "TRK1" },
      { kind: "StepSucceeded", step: "shipment" },
      "shipment shp-1 booked, tracking TRK1",
      undefined,
    ],
    [
      "ShipmentInitiationFailed",
      { reason: "not served" },
      { kind: "StepFailed", step: "shipment", reason: "not served" },
      "not served",
      undefined,
    ],
    [
      "InventoryReleased",
      { reservationId: "res-1" },
      { kind: "CompensationConfirmed", compensation: "ReleaseInventory" },
      "reservation res-1 released",
      undefined,
    ],
    [
      "InventoryReleased",
      { reservationId: null },
      { kind: "CompensationConfirmed", compensation: "ReleaseInventory" },
      "nothing was reserved: release confirmed",
      undefined,
    ],
    [
      "PrescriptionCancelled",
      { prescriptionId: "rx-1" },
      { kind: "CompensationConfirmed", compensation: "CancelPrescription" },
      "prescription rx-1 cancelled",
      undefined,
    ],
    [
      "PrescriptionCancelled",
      { prescriptionId: null },
      { kind: "CompensationConfirmed", compensation: "CancelPrescription" },
      "no prescription existed: cancellation confirmed",
      undefined,
    ],
    [
      "OrderCancelled",
      { reason: "saga failed" },
      { kind: "CompensationConfirmed", compensation: "CancelOrder" },
      "order cancelled: saga failed",
      undefined,
    ],
  ])("%s %j: %j", (event, value, fact, message, patientId) => {
    expect(learn(event, value)).toEqual({ fact, message, patientId });
  });

  it("listens for every event of the definition and no other", () => {
    expect(listeners.map((l) => l.event).sort()).toEqual(
      [
        "InventoryReleased",
        "InventoryReservationFailed",
        "InventoryReserved",
        "OrderCancelled",
        "OrderCreated",
        "PrescriptionCancelled",
        "PrescriptionCreated",
        "PrescriptionFailed",
        "ShipmentInitiated",
        "ShipmentInitiationFailed",
      ].sort(),
    );
  });
});
