import { describe, expect, it } from "vitest";
import { matrixRoutes } from "./access-matrix.js";
import { documentedRoutes, matrixKey } from "./readme.js";

describe("the README's API table", () => {
  it("lists every route each service serves, and no route it does not", () => {
    const documented = documentedRoutes().map((r) => `${r.service} ${matrixKey(r)}`);
    const served = matrixRoutes.filter((r) => r.path !== "/api/audit").map((r) => `${r.service} ${r.key}`);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it("reads two methods written as one", () => {
    const routes = documentedRoutes("| shipment | 3004 | `PUT/DELETE /api/destinations/{code}` |");
    expect(routes.map(matrixKey)).toEqual(["PUT /api/destinations/:code", "DELETE /api/destinations/:code"]);
  });
});
