import type { LocalInfraOptions } from "../config.js";
import { loadOptions } from "../config.js";
import { withLock } from "../lock.js";
import { isOwnedProcess } from "../process/detached.js";
import { elapsed } from "../process/probe.js";
import { ensureRunning, ensureStopped } from "../server-lifecycle.js";
import { LOCK_WAIT_MS, topology } from "../servers.js";
import { readState } from "../state.js";
import { keycloakEndpoints, type KeycloakEndpoints } from "./server.js";

/** Whether Keycloak answers, and whether infra/local started it (so may stop it). */
export interface KeycloakStatus extends KeycloakEndpoints {
  readonly up: boolean;
  readonly pid: number | undefined;
}

/**
 * Starts the local Keycloak with the `fulfillment` realm (fetching it once, ~180 MB) unless it
 * already answers, and resolves once the realm's discovery document does.
 */
export async function startKeycloak(options: Partial<LocalInfraOptions> = {}): Promise<KeycloakEndpoints> {
  const infra = topology(loadOptions(options));
  const startedAt = Date.now();
  await withLock(infra.layout.lockDir, LOCK_WAIT_MS, () => ensureRunning(infra.keycloak, infra.context));
  const endpoints = keycloakEndpoints(infra.options);
  infra.options.log(`keycloak: ready (${elapsed(startedAt)}): AUTH_ISSUER=${endpoints.issuerUrl}`);
  return endpoints;
}

/** Stops Keycloak if infra/local started it; one started otherwise is left running. */
export async function stopKeycloak(options: Partial<LocalInfraOptions> = {}): Promise<void> {
  const infra = topology(loadOptions(options));
  await withLock(infra.layout.lockDir, LOCK_WAIT_MS, () => ensureStopped(infra.keycloak, infra.context));
}

/** Probes Keycloak without starting it. */
export async function keycloakStatus(options: Partial<LocalInfraOptions> = {}): Promise<KeycloakStatus> {
  const infra = topology(loadOptions(options));
  const pid = (await readState(infra.layout.stateFile)).keycloak?.pid;
  const owned = pid !== undefined && (await isOwnedProcess(pid, infra.keycloak.processMarker));
  return {
    ...keycloakEndpoints(infra.options),
    up: await infra.keycloak.isHealthy(),
    pid: owned ? pid : undefined,
  };
}
