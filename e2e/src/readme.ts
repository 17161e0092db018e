/** The README's promises, read from the README itself: its API table and its example commands. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ServiceName } from "./system.js";

export const README = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

export interface DocumentedRoute {
  service: ServiceName;
  method: string;
  /** With the README's placeholders, e.g. /api/orders/{orderId}. */
  path: string;
  /** The example query, e.g. patientId=…&limit=…, or "" without one. */
  query: string;
}

const SERVICE_OF_ROW: Record<string, ServiceName> = {
  order: "order",
  prescription: "prescription",
  inventory: "inventory",
  shipment: "shipment",
  "saga tracker": "saga-tracker",
};

/** Every route of the README's API table ("`GET/PUT /x`" is two). */
export function documentedRoutes(readme = README): DocumentedRoute[] {
  return readme.split("\n").flatMap((line) => {
    const [, name = "", , routes = ""] = line.split("|").map((cell) => cell.trim());
    const service = SERVICE_OF_ROW[name];
    if (!service) return [];
    return [...routes.matchAll(/`([A-Z/]+) (\/api\/[^`\s]*)`/g)].flatMap(([, methods = "", target = ""]) => {
      const [path = "", query = ""] = target.split("?");
      return methods.split("/").map((method) => ({ service, method, path, query }));
    });
  });
}

/** The route as the services' authorization matrices name it: GET /api/orders/:orderId. */
export const matrixKey = (route: Pick<DocumentedRoute, "method" | "path">) =>
  `${route.method} ${route.path.replace(/\{(\w+)\}/g, ":$1")}`;

/** The commands of the README's first bash block under a heading. */
export function exampleBlock(heading: string, readme = README): string {
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block)
    throw new Error(`the README has no bash block under "${heading}": the test reads its examples there`);
  return block;
}
