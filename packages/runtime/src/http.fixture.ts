/** A service app on a real database and a real (in-process) issuer, for the runtime's HTTP tests. */
import type { AddressInfo } from "node:net";
import {
  generateSigningKey,
  mintToken,
  startIssuerServer,
  type IssuerServer,
  type Role,
  type SigningKey,
} from "@fulfillment/identity";
import { createTestDatabase, testEndpoints, type TestDatabase } from "@fulfillment/testing";
import type { Server } from "node:http";
import knexFactory, { type Knex } from "knex";
import { pino } from "pino";
import { z } from "zod";
import { migrationSource } from "@fulfillment/outbox";
import {
  createMetricsRegistry,
  createServiceApp,
  defineApi,
  listen,
  type ReadinessCheck,
  type ServiceApi,
} from "./http.js";
import { HttpProblem, parseRequest } from "./problems.js";
import { auditMigrations, notePatients } from "./security/audit.js";
import { securityConfigShape, type SecurityConfig } from "./security/security-config.js";
import { TokenVerifier } from "./security/token-verifier.js";

/** A resource owned by a patient, as the test API serves it. */
export const THINGS: Record<string, { patientId: string }> = {
  "t-1": { patientId: "pat-1" },
  "t-2": { patientId: "pat-2" },
};

export const testAccess = {
  "GET /api/things/:id": { patient: "own-patient", operator: "all" },
  "POST /api/things": { pharmacist: "all" },
  "GET /api/slow-database": { operator: "all" },
} as const;

const thingBody = z.object({ name: z.string().min(1) }).strict();

function testApi(downKnex: Knex): ServiceApi {
  return defineApi(
    testAccess,
    {
      "GET /api/things/:id": (req, res, grant) => {
        const thing = THINGS[String(req.params.id)];
        notePatients(res, thing?.patientId);
        if (!thing || !grant.allows(thing)) throw new HttpProblem(404, "THING_NOT_FOUND", "No such thing.");
        res.json(thing);
      },
      "POST /api/things": (req, res) => {
        res.status(201).json(parseRequest(thingBody, req.body));
      },
      "GET /api/slow-database": async (_req, res) => {
        res.json(await downKnex.raw("SELECT 1"));
      },
    },
    {
      title: "Test service",
      description: "The runtime's HTTP tests.",
      routes: {
        "GET /api/things/:id": {
          summary: "A thing",
          responses: { 200: { description: "The thing.", schema: z.object({ patientId: z.string() }) } },
          problems: { 404: "No such thing." },
        },
        "POST /api/things": {
          summary: "Echoes a thing",
          body: thingBody,
          responses: { 201: { description: "The thing.", schema: thingBody } },
        },
        "GET /api/slow-database": {
          summary: "Queries a database that is down",
          responses: { 200: { description: "Never: the database is down." } },
        },
      },
    },
  );
}

export interface HttpFixture extends AsyncDisposable {
  base: string;
  knex: Knex;
  issuer: IssuerServer;
  key: SigningKey;
  config: SecurityConfig;
  token(role: Role, subject?: string): Promise<string>;
  /** Another app on the same database with other settings (rate limits, CORS, metrics) and readiness checks. */
  serve(overrides: Record<string, string>, readiness?: Record<string, ReadinessCheck>): Promise<string>;
}

export async function createHttpFixture(label: string): Promise<HttpFixture> {
  const db: TestDatabase = await createTestDatabase(testEndpoints().postgresUrl, label);
  const knex = knexFactory({ client: "pg", connection: db.url, pool: { min: 0, max: 5 } });
  await knex.migrate.latest({ migrationSource: migrationSource(auditMigrations) });
  // Nothing listens on port 1: every query fails to connect, as when the database is down.
  const downKnex = knexFactory({
    client: "pg",
    connection: "postgres://nobody@127.0.0.1:1/none",
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 2_000,
  });
  const key = await generateSigningKey();
  const issuer = await startIssuerServer({ keys: [key.publicJwk] });
  const servers: Server[] = [];
  const serve = async (overrides: Record<string, string>, readiness: Record<string, ReadinessCheck> = {}) => {
    const config = z.object(securityConfigShape).parse({ AUTH_ISSUER: issuer.url, ...overrides });
    const app = createServiceApp({
      logger: pino({ level: "silent" }),
      metrics: createMetricsRegistry("test"),
      readiness,
      knex,
      security: config,
      verifier: new TokenVerifier(config),
      api: testApi(downKnex),
    });
    const server = await listen(app, 0);
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const base = await serve({});
  const dispose = async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await issuer.close();
    await downKnex.destroy();
    await knex.destroy();
    await db.drop();
  };
  return {
    base,
    knex,
    issuer,
    key,
    config: z.object(securityConfigShape).parse({ AUTH_ISSUER: issuer.url }),
    token: (role, subject) =>
      mintToken(key, issuer.url, {
        subject: subject ?? role,
        roles: [role],
        ...(role === "patient" ? { patientId: subject ?? role } : {}),
      }),
    serve,
    [Symbol.asyncDispose]: dispose,
  };
}
