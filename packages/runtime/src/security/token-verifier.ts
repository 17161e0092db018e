import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { HttpProblem } from "../problems.js";
import { principalFromClaims, type Principal } from "./principal.js";
import type { SecurityConfig } from "./security-config.js";

/** The provider could not be reached for its keys: the caller should retry, not fix its token. */
const issuerUnavailable = (why: string) =>
  new HttpProblem(
    503,
    "ISSUER_UNAVAILABLE",
    `The token issuer's keys could not be fetched (${why}); retry shortly.`,
    {},
    { "Retry-After": "5" },
  );

const invalidToken = (code: string, detail: string) =>
  new HttpProblem(
    401,
    code,
    detail,
    {},
    {
      "WWW-Authenticate": `Bearer realm="fulfillment", error="invalid_token", error_description="${detail.replace(/"/g, "'")}"`,
    },
  );

/**
 * Verifies bearer tokens against the issuer's JWKS (fetched on first use, cached, re-fetched when a
 * token names an unknown key id, so rotation needs no restart): signature with an allowed
 * asymmetric algorithm, issuer, audience, expiry and not-before.
 */
export class TokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly config: Pick<
      SecurityConfig,
      | "AUTH_ISSUER"
      | "AUTH_AUDIENCE"
      | "AUTH_JWKS_URL"
      | "AUTH_ALGORITHMS"
      | "AUTH_ROLES_CLAIM"
      | "AUTH_PATIENT_CLAIM"
      | "AUTH_CLOCK_TOLERANCE_SECONDS"
    >,
  ) {}

  /** The caller a token stands for, or an HttpProblem: 401 for a bad token, 503 when the issuer is down. */
  async verify(token: string): Promise<{ principal: Principal; payload: JWTPayload }> {
    const keys = await this.jwks();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.config.AUTH_ISSUER,
        audience: this.config.AUTH_AUDIENCE,
        algorithms: this.config.AUTH_ALGORITHMS,
        clockTolerance: this.config.AUTH_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["sub", "exp"],
      }));
    } catch (error) {
      throw toProblem(error);
    }
    const principal = principalFromClaims(payload, {
      roles: this.config.AUTH_ROLES_CLAIM,
      patient: this.config.AUTH_PATIENT_CLAIM,
    });
    return { principal, payload };
  }

  private jwks(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discover().catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    let url = this.config.AUTH_JWKS_URL;
    if (!url) {
      const discovery = `${this.config.AUTH_ISSUER.replace(/\/+$/, "")}/.well-known/openid-configuration`;
      let metadata: { issuer?: unknown; jwks_uri?: unknown };
      try {
        const response = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
        metadata = (await response.json()) as typeof metadata;
      } catch (error) {
        throw issuerUnavailable(error instanceof Error ? error.message : String(error));
      }
      if (metadata.issuer !== this.config.AUTH_ISSUER || typeof metadata.jwks_uri !== "string") {
        throw issuerUnavailable(
          `${discovery} names issuer ${String(metadata.issuer)}, not ${this.config.AUTH_ISSUER}: set AUTH_ISSUER to the provider's exact issuer URL`,
        );
      }
      url = metadata.jwks_uri;
    }
    return createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 5_000 });
  }
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof errors.JWTExpired)
    return invalidToken("TOKEN_EXPIRED", "The token has expired; get a new one.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const which: Record<string, string> = {
      nbf: "The token is not valid yet.",
      iss: "The token was issued by another issuer than this API trusts.",
      aud: "The token is not meant for this API (audience).",
      sub: "The token has no subject.",
      exp: "The token has no expiry.",
    };
    return invalidToken(
      "TOKEN_REJECTED",
      which[error.claim] ?? `The token's ${error.claim} claim is not acceptable.`,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return invalidToken("TOKEN_REJECTED", "No key of the issuer matches the token's key id and algorithm.");
  if (error instanceof errors.JOSEAlgNotAllowed)
    return invalidToken("TOKEN_REJECTED", "The token is signed with an algorithm this API does not accept.");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return invalidToken("TOKEN_REJECTED", "The token's signature does not verify.");
  // The issuer's key set could not be fetched or read: the provider is at fault, not the token.
  if (error instanceof errors.JWKSTimeout) return issuerUnavailable("timed out");
  if (error instanceof errors.JWKSInvalid) return issuerUnavailable("its JWKS is not a valid key set");
  if (error instanceof errors.JOSEError && error.code === "ERR_JOSE_GENERIC")
    return issuerUnavailable(error.message);
  if (error instanceof errors.JOSEError)
    return invalidToken("TOKEN_MALFORMED", "The bearer token is not a well-formed JWT.");
  return issuerUnavailable(error instanceof Error ? error.message : String(error));
}
