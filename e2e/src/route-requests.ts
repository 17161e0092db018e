/** A request that exercises one route of the matrix as a given caller, with real ids. */
import type { Role } from "@fulfillment/identity";
import { orderBody } from "./api.js";
import type { MatrixRoute } from "./access-matrix.js";
import type { RunningSystem } from "./system.js";

/** Ids of real resources (one patient's order, its prescription) that path parameters take. */
export interface KnownIds {
  orderId: string;
  prescriptionId: string;
}

export interface RouteRequest {
  url: string;
  init: RequestInit;
}

/** Fills a route's path parameters and gives it a body that would succeed for an allowed caller. */
export function requestFor(
  system: RunningSystem,
  route: MatrixRoute,
  ids: KnownIds,
  caller: { role: Role; subject: string },
): RouteRequest {
  const path = route.path
    .replace(":orderId", encodeURIComponent(ids.orderId))
    .replace(":prescriptionId", encodeURIComponent(ids.prescriptionId))
    .replace(":sku", "E2E-MATRIX")
    .replace(":code", "ZZ");
  const bodies: Record<string, unknown> = {
    "POST /api/orders": orderBody({ patientId: caller.role === "patient" ? caller.subject : "pat-matrix" }),
    "PUT /api/formulary/:sku": { name: "Matrix test drug", prescriptionOnly: false, maxQuantity: 5 },
    "POST /api/inventory/:sku/restock": { quantity: 1 },
  };
  const body = bodies[route.key];
  return {
    url: `${system.url[route.service]}${path}`,
    init: {
      method: route.method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    },
  };
}
