/**
 * @fulfillment/identity — the local OpenID issuer: a signing key, its JWKS and discovery
 * document over HTTP, and token minting, for the local run and the tests. Production points the
 * services at a real provider instead (AUTH_ISSUER).
 */
export { ROLES, DASHBOARD_SIGN_IN_PURPOSE, type Role } from "./roles.js";
export {
  SIGNING_ALGORITHM,
  generateSigningKey,
  loadOrCreateSigningKey,
  type SigningKey,
} from "./signing-key.js";
export { mintToken, type TokenClaims } from "./mint.js";
export { startIssuerServer, type IssuerServer, type IssuerServerOptions } from "./issuer-server.js";
