import pg from "pg";

/** Database Apicurio Registry keeps its schemas in. */
export const REGISTRY_DATABASE = "schema_registry";

/** One database per service; created on start so services only run their migrations. */
export const SERVICE_DATABASES = [
  "order_service",
  "prescription_service",
  "inventory_service",
  "shipment_service",
  "saga_tracker",
] as const;

/** A database a service owns. */
export type ServiceDatabase = (typeof SERVICE_DATABASES)[number];

/** Every database the system needs on the server. */
export const REQUIRED_DATABASES: readonly string[] = [REGISTRY_DATABASE, ...SERVICE_DATABASES];

/**
 * True when the server behind the admin URL answers `select 1` and, if `dataDirectory` is given,
 * runs from that folder — so a different server on the port (same credentials) is never taken for ours.
 */
export async function postgresAnswers(adminUrl: string, dataDirectory?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    if (dataDirectory === undefined) {
      await client.query("select 1");
      return true;
    }
    // Reading data_directory needs a superuser, which the embedded server's admin user is.
    const { rows } = await client.query<{ data_directory: string }>(
      "select current_setting('data_directory') as data_directory",
    );
    return rows[0]?.data_directory === dataDirectory;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the missing ones among `names`; returns those it created. */
export async function ensureDatabases(
  adminUrl: string,
  names: readonly string[] = REQUIRED_DATABASES,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const existing = await client.query<{ datname: string }>("select datname from pg_database");
    const present = new Set(existing.rows.map((row) => row.datname));
    const created: string[] = [];
    for (const name of names.filter((candidate) => !present.has(candidate))) {
      try {
        await client.query(`create database ${client.escapeIdentifier(name)}`);
        created.push(name);
      } catch (error) {
        // Another process created it between our read and our create.
        if ((error as { code?: string }).code !== "42P04") throw error;
      }
    }
    return created;
  } finally {
    await client.end();
  }
}
