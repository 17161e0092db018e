/** Talking to the local Keycloak the `keycloak` project's setup started: its realm's users and tokens. */
import { readFileSync } from "node:fs";
import { KEYCLOAK_REALM_FILE, type KeycloakEndpoints } from "@fulfillment/infra-local";
import { migrationSource } from "@fulfillment/outbox";
import { auditMigrations } from "@fulfillment/runtime";
import { createTestDatabase, testEndpoints, type TestDatabase } from "@fulfillment/testing";
import knexFactory, { type Knex } from "knex";
import { inject } from "vitest";

interface RealmFile {
  users: Array<{ username: string; credentials: Array<{ type: string; value: string }> }>;
  clients: Array<{ clientId: string; secret?: string }>;
}

/** The committed realm, so tests use the passwords and secrets Keycloak imported, never copies. */
const realm = JSON.parse(readFileSync(KEYCLOAK_REALM_FILE, "utf8")) as RealmFile;

export type RealmUser = "olivia" | "alice" | "paula";

/** A fresh database on the test PostgreSQL with a service's migrations and the audit trail applied. */
export async function migratedDatabase(
  label: string,
  serviceMigrations: Record<string, Knex.Migration>,
): Promise<{ db: TestDatabase; knex: Knex }> {
  const db = await createTestDatabase(testEndpoints().postgresUrl, label);
  const knex = knexFactory({ client: "pg", connection: db.url, pool: { min: 0, max: 4 } });
  await knex.migrate.latest({
    migrationSource: migrationSource({ ...auditMigrations, ...serviceMigrations }),
  });
  return { db, knex };
}

export function keycloak(): KeycloakEndpoints {
  return inject("keycloak");
}

export function passwordOf(username: RealmUser): string {
  const password = realm.users
    .find((user) => user.username === username)
    ?.credentials.find((credential) => credential.type === "password")?.value;
  if (password === undefined) throw new Error(`${username} has no password in ${KEYCLOAK_REALM_FILE}`);
  return password;
}

export function clientSecretOf(clientId: string): string {
  const secret = realm.clients.find((client) => client.clientId === clientId)?.secret;
  if (secret === undefined) throw new Error(`client ${clientId} has no secret in ${KEYCLOAK_REALM_FILE}`);
  return secret;
}

/** An access token from Keycloak's token endpoint by the password grant (the `fulfillment-cli` client). */
export async function passwordGrantToken(username: RealmUser, clientId = "fulfillment-cli"): Promise<string> {
  const response = await fetch(keycloak().tokenUrl, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "password",
      client_id: clientId,
      username,
      password: passwordOf(username),
      scope: "openid",
    }),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!response.ok || body.access_token === undefined)
    throw new Error(
      `Keycloak refused a token for ${username} (${response.status}): ${body.error_description}`,
    );
  return body.access_token;
}
