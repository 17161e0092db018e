import type { AccessMatrix } from "@fulfillment/runtime";

/**
 * Who may do what on the prescription API (docs/SECURITY.md). A pharmacist manages the formulary
 * and reads prescriptions; a patient reads only their own; every role may read the formulary.
 */
export const prescriptionAccess = {
  "GET /api/prescriptions": { pharmacist: "all", operator: "all", patient: "own-patient" },
  "GET /api/prescriptions/:prescriptionId": { pharmacist: "all", operator: "all", patient: "own-patient" },
  "GET /api/formulary": {
    patient: "all",
    "ordering-client": "all",
    pharmacist: "all",
    "inventory-manager": "all",
    logistics: "all",
    operator: "all",
  },
  "PUT /api/formulary/:sku": { pharmacist: "all" },
} as const satisfies AccessMatrix;
