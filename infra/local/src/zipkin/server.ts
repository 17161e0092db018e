import { join } from "node:path";
import type { LocalInfraOptions } from "../config.js";
import { LEGACY_DEPENDENCY_PLUGIN, fetchOnce } from "../maven.js";
import type { LocalLayout } from "../paths.js";
import { requireJava17 } from "../prerequisites.js";
import type { ManagedServer } from "../server-lifecycle.js";

/** Zipkin's span intake under its base URL (the services' OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
export const ZIPKIN_SPANS_PATH = "/api/v2/spans";

/** The runnable jar of `io.zipkin:zipkin-server:<v>:jar:exec`. */
function zipkinJar(dir: string, version: string): string {
  return join(dir, `zipkin-server-${version}-exec.jar`);
}

/**
 * Zipkin, the trace backend of the local run: the services export their spans to it when
 * OTEL_TRACES_EXPORTER=zipkin, and its UI and API show one saga's trace. Storage is in memory
 * (spans are gone when it stops); it needs Java 17, like Kafka and the registry.
 */
export function zipkinServer(options: LocalInfraOptions, layout: LocalLayout): ManagedServer {
  const paths = layout.zipkin;
  const baseUrl = `http://${options.host}:${options.zipkinPort}`;
  const jar = zipkinJar(paths.app, options.zipkinVersion);
  return {
    name: "zipkin",
    host: options.host,
    endpoint: baseUrl,
    ports: [{ port: options.zipkinPort, variable: "ZIPKIN_PORT" }],
    processMarker: jar,
    stopSignal: "SIGTERM",
    stopGraceMs: 10_000,
    isHealthy: () => zipkinAnswers(baseUrl),
    async prepare() {
      await requireJava17();
      const announce = () =>
        options.log(`zipkin: fetching Zipkin ${options.zipkinVersion} with mvn (first run only, ~130 MB)…`);
      const fetched = await fetchOnce(
        paths.app,
        (output) => [
          `${LEGACY_DEPENDENCY_PLUGIN}:copy`,
          `-Dartifact=io.zipkin:zipkin-server:${options.zipkinVersion}:jar:exec`,
          `-DoutputDirectory=${output}`,
        ],
        `zipkin-server-${options.zipkinVersion}-exec.jar`,
        announce,
      );
      if (fetched) options.log(`zipkin: fetched Zipkin ${options.zipkinVersion} into ${paths.app}`);
      return {
        command: "java",
        args: [
          "-Xms64m",
          "-Xmx384m",
          "-Djava.awt.headless=true",
          "-jar",
          jar,
          // Its one HTTP port, on INFRA_HOST only (by default it listens on every interface).
          `--armeria.ports[0].port=${options.zipkinPort}`,
          `--armeria.ports[0].ip=${options.host}`,
          "--armeria.ports[0].protocols[0]=http",
        ],
        cwd: paths.app,
        logFile: join(paths.logs, "zipkin.log"),
        // In-memory storage keeps the last 500k spans.
        extraEnv: { STORAGE_TYPE: "mem", MEM_MAX_SPANS: "500000" },
      };
    },
  };
}

/** True when `GET /health` answers 200 with status UP. */
export async function zipkinAnswers(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return false;
    return ((await response.json()) as { status?: unknown }).status === "UP";
  } catch {
    return false;
  }
}
