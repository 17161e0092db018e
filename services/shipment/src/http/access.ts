import type { AccessMatrix } from "@fulfillment/runtime";

/**
 * Who may do what on the shipment API (docs/SECURITY.md): logistics manages destinations and
 * follows every shipment; a patient sees only their own; every role may read the destinations.
 */
export const shipmentAccess = {
  "GET /api/shipments": { logistics: "all", operator: "all", patient: "own-patient" },
  "GET /api/shipments/:orderId": { logistics: "all", operator: "all", patient: "own-patient" },
  "GET /api/destinations": {
    patient: "all",
    "ordering-client": "all",
    pharmacist: "all",
    "inventory-manager": "all",
    logistics: "all",
    operator: "all",
  },
  "PUT /api/destinations/:code": { logistics: "all" },
  "DELETE /api/destinations/:code": { logistics: "all" },
} as const satisfies AccessMatrix;
