import { describe, expect, it } from "vitest";
import { sagaFlow } from "./saga-flow.js";

/**
 * The saga's specification: every path, as the definition table and the decider play it. A change
 * to the table (a step, a status, a compensation) changes a line here, on purpose.
 */
const SPECIFICATION = {
  "happy path": {
    steps: [
      "OrderCreated → PENDING_PRESCRIPTION",
      "PrescriptionCreated → PENDING_INVENTORY_RESERVATION",
      "InventoryReserved → PENDING_SHIPMENT",
      "ShipmentInitiated → COMPLETED",
    ],
    compensations: [],
  },
  "prescription refused": {
    steps: [
      "OrderCreated → PENDING_PRESCRIPTION",
      "PrescriptionFailed → CANCELLED_PRESCRIPTION_FAILED",
      "OrderCancelled → CANCELLED",
    ],
    compensations: ["CancelOrder"],
  },
  // A step that timed out may still have taken effect: its own compensation runs first.
  "prescription timed out": {
    steps: [
      "OrderCreated → PENDING_PRESCRIPTION",
      "prescription deadline passed → CANCELLED_PRESCRIPTION_FAILED",
      "PrescriptionCancelled → CANCELLED_PRESCRIPTION_FAILED",
      "OrderCancelled → CANCELLED",
    ],
    compensations: ["CancelPrescription", "CancelOrder"],
  },
  "inventory refused": {
    steps: [
      "OrderCreated → PENDING_PRESCRIPTION",
      "PrescriptionCreated → PENDING_INVENTORY_RESERVATION",
      "InventoryReservationFailed → CANCELLED_INVENTORY_FAILED",
      "PrescriptionCancelled → CANCELLED_INVENTORY_FAILED",
      "OrderCancelled → CANCELLED",
    ],
    compensations: ["CancelPrescription", "CancelOrder"],
  },
  "inventory timed out": {
    steps: [
      "OrderCreated → PENDING_PRESCRIPTION",
      "PrescriptionCreated → PENDING_INVENTORY_RESERVATION",
      "inventory deadline passed → CANCELLED_INVENTORY_FAILED",
      "InventoryReleased → CANCELLED_INVENTORY_FAILED",
      "PrescriptionCancelled → CANCELLED_INVENTORY_FAILED",
      "OrderCancelled → CANCELLED",
    ],
    compensations: ["ReleaseInventory", "CancelPrescription", "CancelOrder"],
  },
  "shipment refused": {
    steps: [
      "OrderCreated → PENDING_PRESCRIPTION",
      "PrescriptionCreated → PENDING_INVENTORY_RESERVATION",
      "InventoryReserved → PENDING_SHIPMENT",
      "ShipmentInitiationFailed → CANCELLED_SHIPMENT_FAILED",
      "InventoryReleased → CANCELLED_SHIPMENT_FAILED",
      "PrescriptionCancelled → CANCELLED_SHIPMENT_FAILED",
      "OrderCancelled → CANCELLED",
    ],
    compensations: ["ReleaseInventory", "CancelPrescription", "CancelOrder"],
  },
  // Shipment is the point of no return: nothing of its own to undo, the rest unwinds last step first.
  "shipment timed out": {
    steps: [
      "OrderCreated → PENDING_PRESCRIPTION",
      "PrescriptionCreated → PENDING_INVENTORY_RESERVATION",
      "InventoryReserved → PENDING_SHIPMENT",
      "shipment deadline passed → CANCELLED_SHIPMENT_FAILED",
      "InventoryReleased → CANCELLED_SHIPMENT_FAILED",
      "PrescriptionCancelled → CANCELLED_SHIPMENT_FAILED",
      "OrderCancelled → CANCELLED",
    ],
    compensations: ["ReleaseInventory", "CancelPrescription", "CancelOrder"],
  },
};

describe("the saga's flow, played from its definition", () => {
  it("follows the specification on every path, and has no path it does not state", () => {
    const played = Object.fromEntries(
      sagaFlow().map((path) => [
        path.name,
        {
          steps: path.steps.map(({ happened, status }) => `${happened} → ${status}`),
          compensations: path.compensations,
        },
      ]),
    );
    expect(played).toEqual(SPECIFICATION);
  });
});
