import { randomUUID } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { SIGNING_ALGORITHM, type SigningKey } from "./signing-key.js";

/** What a token says about its bearer. */
export interface TokenClaims {
  subject: string;
  roles: readonly string[];
  /** The patient this person is, for the patient role (the `patient_id` claim). */
  patientId?: string;
  audience?: string | readonly string[];
  /** Lifetime in seconds (default one hour). */
  ttlSeconds?: number;
  /** Further claims, e.g. `purpose` for a one-time sign-in ticket. */
  extra?: JWTPayload;
}

/** Signs an access token as `issuer` would: RS256, kid in the header, iat/nbf/exp, a unique jti. */
export function mintToken(key: SigningKey, issuer: string, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ...claims.extra,
    roles: [...claims.roles],
    ...(claims.patientId === undefined ? {} : { patient_id: claims.patientId }),
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: "JWT" })
    .setIssuer(issuer)
    .setSubject(claims.subject)
    .setAudience(
      typeof claims.audience === "string" ? claims.audience : [...(claims.audience ?? ["fulfillment"])],
    )
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? 3_600))
    .setJti(randomUUID())
    .sign(key.privateKey);
}
