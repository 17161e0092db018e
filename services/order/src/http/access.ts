import type { AccessMatrix } from "@fulfillment/runtime";

/**
 * Who may do what on the order API (docs/SECURITY.md shows every service's matrix). A patient
 * reaches only their own orders; an ordering client (a shop front, a partner) places orders for
 * any patient and reads back the ones it placed; an operator reads all.
 */
export const orderAccess = {
  "POST /api/orders": { "ordering-client": "all", patient: "own-patient" },
  "GET /api/orders": { operator: "all", "ordering-client": "own-client", patient: "own-patient" },
  "GET /api/orders/:orderId": { operator: "all", "ordering-client": "own-client", patient: "own-patient" },
} as const satisfies AccessMatrix;
