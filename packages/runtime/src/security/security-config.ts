import { z } from "zod";

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    );
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1");

/** Who may call a service and how hard: token verification, CORS, rate limits, proxies. */
export const securityConfigShape = {
  /** The OpenID provider whose tokens the APIs accept: the `iss` claim, and where its JWKS is discovered. */
  AUTH_ISSUER: z.url().default("http://127.0.0.1:8090"),
  /** The `aud` every token must carry. */
  AUTH_AUDIENCE: z.string().min(1).default("fulfillment"),
  /** The provider's JWKS; by default read from the issuer's discovery document. */
  AUTH_JWKS_URL: z.url().optional(),
  /** Signature algorithms accepted; asymmetric only, so `none` and HMAC with a public key never pass. */
  AUTH_ALGORITHMS: list("RS256,PS256,ES256,EdDSA").pipe(
    z
      .array(
        z.enum(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]),
      )
      .min(1),
  ),
  /** Claim holding the caller's roles; a dotted path reaches nested claims (Keycloak: realm_access.roles). */
  AUTH_ROLES_CLAIM: z.string().min(1).default("roles"),
  /** Claim naming the patient a patient-role caller is; the token's subject when absent. */
  AUTH_PATIENT_CLAIM: z.string().min(1).default("patient_id"),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** Whether /metrics needs an operator token too (default: open, for Prometheus on a private network). */
  METRICS_REQUIRE_AUTH: flag(false),
  /** Browser origins allowed to call the APIs (CORS); none by default. */
  CORS_ORIGINS: list(""),
  /** Requests per minute per authenticated caller, and per client address before authentication. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(3_000),
  /** Express `trust proxy`: how many proxies sit in front, so client addresses and TLS are read right. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
};

export type SecurityConfig = z.infer<z.ZodObject<typeof securityConfigShape>>;
