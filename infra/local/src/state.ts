import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** The servers infra/local knows about. */
export type ServerName = "postgres" | "kafka" | "registry" | "identity" | "keycloak" | "zipkin";

/** What infra/local remembers about a server it started (or found). */
export interface ServerRecord {
  /** Present when infra/local spawned the process, so `stop` may signal it. */
  readonly pid?: number;
  readonly endpoint: string;
  readonly startedAt: string;
}

/** Contents of `.local/infra.json`. */
export type InfraState = Partial<Record<ServerName, ServerRecord>>;

/** Reads infra.json; a missing or unreadable file means nothing is recorded. */
export async function readState(file: string): Promise<InfraState> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as InfraState;
  } catch {
    return {};
  }
}

/** Writes within one process are chained: Kafka and the registry start (and record) concurrently. */
let pendingWrite: Promise<void> = Promise.resolve();

/** Records (or with `undefined`, forgets) one server, writing the file atomically. */
export function recordServer(
  file: string,
  name: ServerName,
  record: ServerRecord | undefined,
): Promise<void> {
  const write = pendingWrite.then(async () => {
    const state = await readState(file);
    if (record === undefined) delete state[name];
    else state[name] = record;
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
    await rename(temporary, file);
  });
  pendingWrite = write.catch(() => undefined);
  return write;
}
