import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, parse } from "node:path";
import { postgresBinary } from "./binaries.js";

/** Where the embedded PostgreSQL's binaries and data live. */
export interface PostgresPlacement {
  bin: (name: "postgres" | "initdb") => string;
  data: string;
  /** A folder the server's user can read, for initdb's password file. */
  scratch: string;
}

/** Whether every folder from the root down to `path` lets other users through (o+x). */
function traversableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

/**
 * As root, PostgreSQL runs as the unprivileged `postgres` user, which must reach both the
 * binaries (in node_modules) and the data folder (in .local). When the checkout sits somewhere it
 * cannot enter (say under /root), binaries and data move to /var/tmp/fulfillment-postgres/<id>,
 * a place of their own for this checkout; logs stay in .local.
 */
export function postgresPlacement(data: string, asRoot: boolean): PostgresPlacement {
  const nativeDir = dirname(dirname(postgresBinary("postgres")));
  if (!asRoot || (traversableByOthers(nativeDir) && traversableByOthers(dirname(data)))) {
    return { bin: postgresBinary, data, scratch: dirname(data) };
  }
  const home = join(
    "/var/tmp/fulfillment-postgres",
    createHash("sha1").update(data).digest("hex").slice(0, 12),
  );
  const native = join(home, "native");
  if (!existsSync(join(native, "bin", "postgres"))) {
    mkdirSync(home, { recursive: true, mode: 0o755 });
    cpSync(nativeDir, native, { recursive: true, verbatimSymlinks: true });
  }
  return { bin: (name) => join(native, "bin", name), data: join(home, "data"), scratch: home };
}
