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
  AUTH_ISSUER: z
    .url()
    .default("http://127.0.0.1:8090")
    .describe(
      "The OpenID provider whose tokens the APIs accept: the `iss` claim, and where its JWKS is discovered.",
    ),
  AUTH_AUDIENCE: z.string().min(1).default("fulfillment").describe("The `aud` every token must carry."),
  AUTH_JWKS_URL: z
    .url()
    .optional()
    .describe("The provider's JWKS; by default read from the issuer's discovery document."),
  AUTH_ALGORITHMS: list("RS256,PS256,ES256,EdDSA")
    .pipe(
      z
        .array(
          z.enum(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]),
        )
        .min(1),
    )
    .describe(
      "Signature algorithms accepted, comma-separated; asymmetric only, so `none` and HMAC with a public key never pass.",
    ),
  AUTH_ROLES_CLAIM: z
    .string()
    .min(1)
    .default("roles")
    .describe(
      "Claim holding the caller's roles; a dotted path reaches nested claims (Keycloak: realm_access.roles).",
    ),
  AUTH_PATIENT_CLAIM: z
    .string()
    .min(1)
    .default("patient_id")
    .describe("Claim naming the patient a patient-role caller is; the token's subject when absent."),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(5)
    .describe("Seconds of clock skew allowed when checking a token's exp and nbf."),
  METRICS_REQUIRE_AUTH: flag(false).describe(
    "Whether /metrics needs an operator token too (default: open, for Prometheus on a private network).",
  ),
  CORS_ORIGINS: list("").describe("Browser origins allowed to call the APIs (CORS); none by default."),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe("Requests per minute per authenticated caller."),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(3_000)
    .describe("Requests per minute per client address, counted before authentication."),
  TRUST_PROXY_HOPS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      "Express `trust proxy`: how many proxies sit in front, so client addresses and TLS are read right.",
    ),
};

export type SecurityConfig = z.infer<z.ZodObject<typeof securityConfigShape>>;
