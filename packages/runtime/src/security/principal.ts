import { ROLES, type Role } from "@fulfillment/identity";
import type { JWTPayload } from "jose";

/** Who is calling, as the verified token says. */
export interface Principal {
  /** The token's subject: a person or a client. */
  subject: string;
  roles: ReadonlySet<Role>;
  /** The patient this caller is (patient role), or null. */
  patientId: string | null;
}

/** Reads a claim by dotted path, e.g. `realm_access.roles`. */
function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split(".")) {
    value =
      typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/** The principal of a verified token; roles it does not know are ignored. */
export function principalFromClaims(
  payload: JWTPayload,
  claims: { roles: string; patient: string },
): Principal {
  const subject = payload.sub ?? "";
  const raw = claimAt(payload, claims.roles);
  const named = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(" ") : [];
  const roles = new Set(named.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)));
  const claimed = claimAt(payload, claims.patient);
  const patientId =
    typeof claimed === "string" && claimed.length > 0 ? claimed : roles.has("patient") ? subject : null;
  return { subject, roles, patientId };
}
