import { randomBytes } from "node:crypto";
import pg from "pg";

/** A database of its own for one test file, dropped on dispose. */
export interface TestDatabase extends AsyncDisposable {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database named after `label` on the server at `adminUrl`. */
export async function createTestDatabase(adminUrl: string, label = "test"): Promise<TestDatabase> {
  const name = `${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
  return { name, url: url.toString(), drop, [Symbol.asyncDispose]: drop };
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
