import { join } from "node:path";
import type { LocalInfraOptions } from "../config.js";
import type { LocalLayout } from "../paths.js";
import { REGISTRY_DATABASE } from "../postgres/databases.js";
import { requireJava17 } from "../prerequisites.js";
import type { ManagedServer } from "../server-lifecycle.js";
import { fetchRegistryApp, runnerJar } from "./artifacts.js";

/** Path of the Confluent-compatible API under the registry's base URL. */
export const CCOMPAT_PATH = "/apis/ccompat/v7";

/** Apicurio Registry with SQL storage in the `schema_registry` database, so ids survive restarts. */
export function registryServer(
  options: LocalInfraOptions,
  layout: LocalLayout,
  postgresAdminUrl: string,
): ManagedServer {
  const paths = layout.registry;
  const baseUrl = `http://${options.host}:${options.registryPort}`;
  const database = new URL(postgresAdminUrl);
  const settings: Record<string, string | number | boolean> = {
    "quarkus.http.host": options.host,
    "quarkus.http.port": options.registryPort,
    "apicurio.storage.kind": "sql",
    "apicurio.storage.sql.kind": "postgresql",
    "apicurio.datasource.url": `jdbc:postgresql://${database.hostname}:${database.port || 5432}/${REGISTRY_DATABASE}`,
    "apicurio.datasource.username": decodeURIComponent(database.username),
    // The default pool keeps 20 connections open; a laptop PostgreSQL is shared with five services.
    "apicurio.datasource.jdbc.initial-size": 2,
    "apicurio.datasource.jdbc.min-size": 2,
    "apicurio.datasource.jdbc.max-size": 10,
    // Let developers and tests clean up subjects through the ccompat API (3.0.x property names).
    "apicurio.rest.artifact.deletion.enabled": true,
  };
  return {
    name: "registry",
    host: options.host,
    endpoint: `${baseUrl}${CCOMPAT_PATH}`,
    ports: [{ port: options.registryPort, variable: "REGISTRY_PORT" }],
    processMarker: paths.app,
    stopSignal: "SIGTERM",
    stopGraceMs: 20_000,
    isHealthy: () => registryAnswers(`${baseUrl}${CCOMPAT_PATH}`),
    async prepare() {
      await requireJava17();
      if (await fetchRegistryApp(paths.app, options.registryVersion, options.log)) {
        options.log(`registry: fetched Apicurio Registry ${options.registryVersion} into ${paths.app}`);
      }
      const jar = await runnerJar(paths.app);
      const properties = Object.entries(settings).map(([key, value]) => `-D${key}=${String(value)}`);
      return {
        command: "java",
        args: ["-Xms128m", "-Xmx512m", "-Djava.awt.headless=true", ...properties, "-jar", jar],
        cwd: paths.app,
        logFile: join(paths.logs, "registry.log"),
        // The password travels in the environment, not on the command line `ps` shows.
        extraEnv: { APICURIO_DATASOURCE_PASSWORD: decodeURIComponent(database.password) },
      };
    },
  };
}

/** True when `GET <ccompat>/subjects` answers 200. */
export async function registryAnswers(ccompatUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${ccompatUrl}/subjects`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
