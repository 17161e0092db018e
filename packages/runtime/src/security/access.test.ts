import knexFactory from "knex";
import { describe, expect, it } from "vitest";
import { Grant, parseRouteKey } from "./access.js";
import { outcomeOf } from "./audit.js";
import type { Principal } from "./principal.js";

const sql = knexFactory({ client: "pg" });
const caller = (
  roles: Principal["roles"] extends ReadonlySet<infer R> ? R[] : never,
  subject = "me",
  patientId: string | null = null,
): Principal => ({
  subject,
  roles: new Set(roles),
  patientId,
});
const rules = { operator: "all", patient: "own-patient", "ordering-client": "own-client" } as const;

describe("a grant", () => {
  it("has the scopes of the caller's roles that the route lists, and none for other roles", () => {
    expect([...new Grant(caller(["operator"]), rules).scopes]).toEqual(["all"]);
    expect([...new Grant(caller(["patient", "ordering-client"]), rules).scopes].sort()).toEqual([
      "own-client",
      "own-patient",
    ]);
    expect(new Grant(caller(["pharmacist"]), rules).scopes.size).toBe(0);
  });

  it("lets a patient reach only their own resources and a client only what it placed", () => {
    const patient = new Grant(caller(["patient"], "u1", "pat-1"), rules);
    expect(patient.allows({ patientId: "pat-1" })).toBe(true);
    expect(patient.allows({ patientId: "pat-2" })).toBe(false);
    expect(patient.allows({ patientId: null })).toBe(false);
    const client = new Grant(caller(["ordering-client"], "shop-1"), rules);
    expect(client.allows({ patientId: "pat-1", clientId: "shop-1" })).toBe(true);
    expect(client.allows({ patientId: "pat-1", clientId: "shop-2" })).toBe(false);
    expect(client.allows({ patientId: "pat-1", clientId: null })).toBe(false);
    expect(new Grant(caller(["operator"]), rules).allows({ patientId: null })).toBe(true);
  });

  it("never lets a patient without a patient id reach a resource without one", () => {
    expect(new Grant(caller(["patient"], "u1", null), rules).allows({ patientId: null })).toBe(false);
  });

  it("narrows list queries to what the caller may see", () => {
    const query = (grant: Grant) =>
      grant.restrict(sql("orders").select("*"), { patient: "patient_id", client: "placed_by" }).toQuery();
    expect(query(new Grant(caller(["operator"]), rules))).toBe('select * from "orders"');
    expect(query(new Grant(caller(["patient"], "u1", "pat-1"), rules))).toBe(
      `select * from "orders" where (false or "patient_id" = 'pat-1')`,
    );
    expect(query(new Grant(caller(["ordering-client"], "shop-1"), rules))).toBe(
      `select * from "orders" where (false or "placed_by" = 'shop-1')`,
    );
    expect(query(new Grant(caller(["patient"], "u1", null), rules))).toBe(
      `select * from "orders" where (false)`,
    );
  });
});

describe("route keys", () => {
  it("split into method and path, and refuse anything else", () => {
    expect(parseRouteKey("GET /api/orders/:orderId")).toEqual({
      method: "GET",
      path: "/api/orders/:orderId",
    });
    expect(() => parseRouteKey("FETCH /api")).toThrow(/must look like/);
    expect(() => parseRouteKey("GET api")).toThrow(/must look like/);
    expect(() => parseRouteKey("GET /a /b")).toThrow(/must look like/);
  });
});

describe("audit outcomes", () => {
  it.each([
    [200, "ALLOWED"],
    [204, "ALLOWED"],
    [303, "ALLOWED"],
    [400, "REJECTED"],
    [401, "UNAUTHENTICATED"],
    [403, "DENIED"],
    [404, "NOT_FOUND"],
    [409, "REJECTED"],
    [429, "THROTTLED"],
    [499, "REJECTED"],
    [500, "FAILED"],
    [503, "FAILED"],
  ])("status %i is %s", (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});
