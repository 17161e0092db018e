import { join } from "node:path";
import type { LocalInfraOptions } from "./config.js";

/** Where each server keeps its artifacts, data and logs under the local folder. */
export interface LocalLayout {
  readonly root: string;
  readonly stateFile: string;
  readonly lockDir: string;
  readonly kafka: { libs: string; config: string; data: string; logs: string };
  readonly registry: { app: string; logs: string };
  readonly postgres: { data: string; logs: string };
  readonly identity: { keys: string; logs: string };
  readonly keycloak: { dist: string; logs: string };
  readonly zipkin: { app: string; logs: string };
}

/** The folder layout for the given options; artifacts are keyed by version so upgrades re-fetch. */
export function localLayout(
  options: Pick<
    LocalInfraOptions,
    "localDir" | "kafkaVersion" | "registryVersion" | "keycloakVersion" | "zipkinVersion"
  >,
): LocalLayout {
  const root = options.localDir;
  return {
    root,
    stateFile: join(root, "infra.json"),
    lockDir: join(root, "infra.lock"),
    kafka: {
      libs: join(root, "kafka", `libs-${options.kafkaVersion}`),
      config: join(root, "kafka", "config"),
      data: join(root, "kafka", "data"),
      logs: join(root, "kafka", "logs"),
    },
    registry: {
      app: join(root, "registry", `app-${options.registryVersion}`),
      logs: join(root, "registry", "logs"),
    },
    postgres: { data: join(root, "postgres", "data"), logs: join(root, "postgres", "logs") },
    identity: { keys: join(root, "identity"), logs: join(root, "identity-logs") },
    keycloak: {
      dist: join(root, "keycloak", `dist-${options.keycloakVersion}`),
      logs: join(root, "keycloak", "logs"),
    },
    zipkin: {
      app: join(root, "zipkin", `app-${options.zipkinVersion}`),
      logs: join(root, "zipkin", "logs"),
    },
  };
}
