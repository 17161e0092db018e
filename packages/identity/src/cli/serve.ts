#!/usr/bin/env node
/**
 * Runs the local issuer: serves the discovery document and the JWKS of the key in IDENTITY_DIR
 * at AUTH_ISSUER (host and port taken from that URL). Started by `pnpm infra up`.
 */
import { startIssuerServer } from "../issuer-server.js";
import { loadOrCreateSigningKey } from "../signing-key.js";
import { loadIdentityConfig } from "./config.js";

const config = loadIdentityConfig();
const issuer = new URL(config.AUTH_ISSUER);
const key = await loadOrCreateSigningKey(config.IDENTITY_DIR);
const server = await startIssuerServer({
  host: issuer.hostname,
  port: Number(issuer.port || 80),
  keys: [key.publicJwk],
});
console.log(`[identity] local issuer ${server.url} serving key ${key.kid}`);
const stop = () => void server.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
