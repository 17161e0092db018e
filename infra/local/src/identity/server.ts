import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PACKAGE_DIR, type LocalInfraOptions } from "../config.js";
import type { LocalLayout } from "../paths.js";
import { pathExists } from "../path-exists.js";
import type { ManagedServer } from "../server-lifecycle.js";

/** The local issuer's program, built from packages/identity. */
const SERVE_SCRIPT = resolve(PACKAGE_DIR, "..", "..", "packages", "identity", "dist", "cli", "serve.js");

/**
 * The local OpenID issuer: serves the discovery document and JWKS of a signing key kept under
 * `.local/identity`, so the services verify tokens locally exactly as they would a real
 * provider's. Tokens are minted with `pnpm --silent token --role <role>`.
 */
export function identityServer(options: LocalInfraOptions, layout: LocalLayout): ManagedServer {
  const issuer = `http://${options.host}:${options.issuerPort}`;
  return {
    name: "identity",
    host: options.host,
    endpoint: issuer,
    ports: [{ port: options.issuerPort, variable: "ISSUER_PORT" }],
    processMarker: SERVE_SCRIPT,
    stopSignal: "SIGTERM",
    stopGraceMs: 5_000,
    isHealthy: () => issuerAnswers(issuer),
    async prepare() {
      if (!(await pathExists(SERVE_SCRIPT)))
        throw new Error(`identity: ${SERVE_SCRIPT} is missing; run pnpm build first`);
      await mkdir(layout.identity.keys, { recursive: true, mode: 0o700 });
      return {
        command: process.execPath,
        args: [SERVE_SCRIPT],
        cwd: layout.identity.keys,
        logFile: join(layout.identity.logs, "identity.log"),
        extraEnv: { IDENTITY_DIR: layout.identity.keys, AUTH_ISSUER: issuer },
      };
    },
  };
}

/** True when the issuer's discovery document names it. */
export async function issuerAnswers(issuer: string): Promise<boolean> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return false;
    return ((await response.json()) as { issuer?: unknown }).issuer === issuer;
  } catch {
    return false;
  }
}
