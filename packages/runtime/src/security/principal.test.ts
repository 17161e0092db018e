import { describe, expect, it } from "vitest";
import { principalFromClaims } from "./principal.js";

const claims = { roles: "roles", patient: "patient_id" };

describe("the principal of a token", () => {
  it("takes the subject, the known roles, and the patient claim", () => {
    const p = principalFromClaims(
      { sub: "alice", roles: ["patient", "wizard"], patient_id: "pat-9" },
      claims,
    );
    expect(p).toEqual({ subject: "alice", roles: new Set(["patient"]), patientId: "pat-9" });
  });

  it("makes a patient without a patient claim the patient of their subject, and nobody else a patient", () => {
    expect(principalFromClaims({ sub: "pat-1", roles: ["patient"] }, claims).patientId).toBe("pat-1");
    expect(principalFromClaims({ sub: "op", roles: ["operator"] }, claims).patientId).toBeNull();
    expect(
      principalFromClaims({ sub: "op", roles: ["operator"], patient_id: "" }, claims).patientId,
    ).toBeNull();
  });

  it("reads roles at a dotted path (Keycloak's realm_access.roles) or as a space-separated string", () => {
    expect([
      ...principalFromClaims(
        { sub: "x", realm_access: { roles: ["pharmacist"] } },
        { ...claims, roles: "realm_access.roles" },
      ).roles,
    ]).toEqual(["pharmacist"]);
    expect([
      ...principalFromClaims(
        { sub: "x", scope_roles: "logistics operator" },
        { ...claims, roles: "scope_roles" },
      ).roles,
    ]).toEqual(["logistics", "operator"]);
    expect(principalFromClaims({ sub: "x", roles: 7 }, claims).roles.size).toBe(0);
    expect(principalFromClaims({ sub: "x" }, { ...claims, roles: "a.b.c" }).roles.size).toBe(0);
  });
});
