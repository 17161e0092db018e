import { copyFile, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PACKAGE_DIR, pathWith, type LocalInfraOptions } from "../config.js";
import { issuerAnswers } from "../identity/server.js";
import type { LocalLayout } from "../paths.js";
import type { ManagedServer } from "../server-lifecycle.js";
import { fetchKeycloakDist } from "./artifacts.js";
import { keycloakJavaHome } from "./java.js";

/** The realm every local Keycloak imports at start: roles, mappers, clients and test users. */
export const KEYCLOAK_REALM = "fulfillment";
export const KEYCLOAK_REALM_FILE = resolve(PACKAGE_DIR, "keycloak", "fulfillment-realm.json");
/** The admin console's local account (in-memory database, loopback only: not a secret). */
export const KEYCLOAK_ADMIN = { username: "admin", password: "admin-local" } as const;

/** Where clients reach a local Keycloak. */
export interface KeycloakEndpoints {
  /** The realm's issuer: AUTH_ISSUER for services that accept its tokens. */
  issuerUrl: string;
  /** The realm's token endpoint (password grant for tests and scripts). */
  tokenUrl: string;
  /** Keycloak's base URL (admin console at /admin). */
  baseUrl: string;
}

export function keycloakEndpoints(
  options: Pick<LocalInfraOptions, "host" | "keycloakPort">,
): KeycloakEndpoints {
  const baseUrl = `http://${options.host}:${options.keycloakPort}`;
  const issuerUrl = `${baseUrl}/realms/${KEYCLOAK_REALM}`;
  return { baseUrl, issuerUrl, tokenUrl: `${issuerUrl}/protocol/openid-connect/token` };
}

/**
 * Keycloak in development mode on an in-memory database, so every start imports the committed
 * realm afresh. Optional: `infra up` leaves it alone; `infra keycloak up` and the tests that
 * need a real OpenID provider start it. It runs on its own JDK 21+ (KEYCLOAK_JAVA_HOME).
 */
export function keycloakServer(options: LocalInfraOptions, layout: LocalLayout): ManagedServer {
  const paths = layout.keycloak;
  const endpoints = keycloakEndpoints(options);
  return {
    name: "keycloak",
    host: options.host,
    endpoint: endpoints.issuerUrl,
    ports: [{ port: options.keycloakPort, variable: "KEYCLOAK_PORT" }],
    processMarker: paths.dist,
    stopSignal: "SIGTERM",
    stopGraceMs: 20_000,
    isHealthy: () => issuerAnswers(endpoints.issuerUrl),
    async prepare() {
      const javaHome = await keycloakJavaHome(options.keycloakJavaHome);
      if (await fetchKeycloakDist(paths.dist, options.keycloakVersion, options.log))
        options.log(`keycloak: fetched Keycloak ${options.keycloakVersion} into ${paths.dist}`);
      const imports = join(paths.dist, "data", "import");
      await mkdir(imports, { recursive: true });
      await copyFile(KEYCLOAK_REALM_FILE, join(imports, "fulfillment-realm.json"));
      options.log(`keycloak: starting on Java from ${javaHome} (20–60 s; the first start also builds)…`);
      return {
        command: join(paths.dist, "bin", "kc.sh"),
        args: [
          "start-dev",
          `--http-host=${options.host}`,
          `--http-port=${options.keycloakPort}`,
          // A fixed hostname keeps the issuer the same whichever address a client uses.
          `--hostname=${endpoints.baseUrl}`,
          "--db=dev-mem",
          "--import-realm",
          "--health-enabled=false",
          "--metrics-enabled=false",
          "--log-console-color=false",
        ],
        cwd: paths.dist,
        logFile: join(paths.logs, "keycloak.log"),
        extraEnv: {
          JAVA_HOME: javaHome,
          PATH: pathWith(join(javaHome, "bin")),
          // Keycloak's default heap is a share of the machine's memory; a laptop shares it.
          JAVA_OPTS_KC_HEAP: "-Xms64m -Xmx768m",
          KC_BOOTSTRAP_ADMIN_USERNAME: KEYCLOAK_ADMIN.username,
          KC_BOOTSTRAP_ADMIN_PASSWORD: KEYCLOAK_ADMIN.password,
        },
      };
    },
  };
}
