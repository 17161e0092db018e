import type { LocalInfraOptions } from "./config.js";
import { loadOptions } from "./config.js";
import { isOwnedProcess } from "./process/detached.js";
import type { ManagedServer } from "./server-lifecycle.js";
import { topology } from "./servers.js";
import type { ServerName } from "./state.js";
import { readState } from "./state.js";

/** What is known about one server right now. */
export interface ServerStatus {
  readonly name: ServerName;
  /** True when it answers (a metadata call, HTTP 200, `select 1`), whoever started it. */
  readonly up: boolean;
  readonly endpoint: string;
  /** Set when infra/local started the process and it still runs. */
  readonly pid: number | undefined;
}

/** Status of every server, in start order. */
export interface InfrastructureStatus {
  readonly servers: readonly ServerStatus[];
  readonly allUp: boolean;
}

/** Probes each server (does not start anything). */
export async function localInfrastructureStatus(
  options: Partial<LocalInfraOptions> = {},
): Promise<InfrastructureStatus> {
  const infra = topology(loadOptions(options));
  const state = await readState(infra.layout.stateFile);
  const managed = async (server: ManagedServer): Promise<ServerStatus> => {
    const pid = state[server.name]?.pid;
    const owned = pid !== undefined && (await isOwnedProcess(pid, server.processMarker));
    return {
      name: server.name,
      up: await server.isHealthy(),
      endpoint: server.endpoint,
      pid: owned ? pid : undefined,
    };
  };
  const postgres: Promise<ServerStatus> = infra.embeddedPostgres
    ? managed(infra.embeddedPostgres)
    : infra
        .postgresAnswers()
        .then((up) => ({ name: "postgres", up, endpoint: "DATABASE_URL", pid: undefined }));
  const servers = await Promise.all([
    postgres,
    managed(infra.kafka),
    managed(infra.registry),
    managed(infra.identity),
    managed(infra.zipkin),
  ]);
  return { servers, allUp: servers.every((server) => server.up) };
}
