import type { AccessMatrix } from "@fulfillment/runtime";

/**
 * Who may do what on the saga tracker's API (docs/SECURITY.md): an operator reads every saga and
 * the stats; a patient reads only their own sagas. The dashboard (/) needs an operator session.
 */
export const sagaAccess = {
  "GET /api/sagas/stats": { operator: "all" },
  "GET /api/sagas/:orderId": { operator: "all", patient: "own-patient" },
  "GET /api/sagas": { operator: "all", patient: "own-patient" },
} as const satisfies AccessMatrix;
