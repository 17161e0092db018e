/** Every service's authorization matrix in one list: the table docs/SECURITY.md shows and the e2e suite walks. */
import { ROLES, type Role } from "@fulfillment/identity";
import { inventoryAccess } from "@fulfillment/inventory/access";
import { orderAccess } from "@fulfillment/order/access";
import { prescriptionAccess } from "@fulfillment/prescription/access";
import { platformAccess, type RouteRules, type Scope } from "@fulfillment/runtime";
import { sagaAccess } from "@fulfillment/saga-tracker/access";
import { shipmentAccess } from "@fulfillment/shipment/access";
import type { ServiceName } from "./system.js";

export interface MatrixRoute {
  service: ServiceName;
  key: string;
  method: string;
  path: string;
  rules: RouteRules;
}

const byService: Array<[ServiceName, Readonly<Record<string, RouteRules>>]> = [
  ["order", orderAccess],
  ["prescription", prescriptionAccess],
  ["inventory", inventoryAccess],
  ["shipment", shipmentAccess],
  ["saga-tracker", sagaAccess],
];

/** Each route of each service, the platform's audit route included. */
export const matrixRoutes: MatrixRoute[] = byService.flatMap(([service, matrix]) =>
  Object.entries({ ...matrix, ...platformAccess }).map(([key, rules]) => {
    const [method = "", path = ""] = key.split(" ");
    return { service, key, method, path, rules };
  }),
);

const SCOPE_MARK: Record<Scope, string> = { all: "✔", "own-patient": "own", "own-client": "placed" };

/** The matrix as a Markdown table: one row per route, one column per role. */
export function matrixMarkdown(): string {
  const header = `| service | route | ${ROLES.join(" | ")} |`;
  const rule = `| --- | --- | ${ROLES.map(() => ":---:").join(" | ")} |`;
  const rows = matrixRoutes.map(
    (r) =>
      `| ${r.service} | \`${r.key}\` | ${ROLES.map((role: Role) => (r.rules[role] ? SCOPE_MARK[r.rules[role]] : "–")).join(" | ")} |`,
  );
  return [header, rule, ...rows].join("\n");
}
