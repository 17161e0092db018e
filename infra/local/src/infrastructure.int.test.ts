import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOptions } from "./config.js";
import type { InfraEndpoints } from "./index.js";
import {
  localInfrastructureStatus,
  runKafkajsSmoke,
  SERVICE_DATABASES,
  startKafka,
  startLocalInfrastructure,
  stopKafka,
  stopLocalInfrastructure,
} from "./index.js";
import { kafkaAnswers } from "./kafka/broker.js";
import { ensureRunning, ensureStopped } from "./server-lifecycle.js";
import { topology } from "./servers.js";

const COLD_START_MS = 10 * 60_000;
// Servers that were up before this run may be serving the user's system: the tests that stop the
// broker or the registry run only on servers this run started (scripts/test.sh says so when it did).
const mayStopServers = !(await localInfrastructureStatus()).allUp || process.env.TEST_OWNS_INFRA === "1";
const quiet = { log: () => undefined };
let endpoints: InfraEndpoints;
let wasRunning = false;

beforeAll(async () => {
  wasRunning = (await localInfrastructureStatus()).allUp;
  endpoints = await startLocalInfrastructure(quiet);
}, COLD_START_MS);

afterAll(async () => {
  // Leave the machine as we found it: stop only what this file started.
  if (!wasRunning) await stopLocalInfrastructure(quiet);
}, 120_000);

describe("local infrastructure", () => {
  it("start is idempotent, also when two callers race", async () => {
    const before = await localInfrastructureStatus();
    const [first, second] = await Promise.all([
      startLocalInfrastructure(quiet),
      startLocalInfrastructure(quiet),
    ]);
    expect(first).toEqual(endpoints);
    expect(second).toEqual(endpoints);
    const after = await localInfrastructureStatus();
    expect(after.allUp).toBe(true);
    expect(after.servers.map((server) => server.pid)).toEqual(before.servers.map((server) => server.pid));
  });

  it("PostgreSQL answers and holds every service database", async () => {
    const client = new pg.Client({ connectionString: endpoints.postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>("select datname from pg_database");
      const names = rows.map((row) => row.datname);
      expect(names).toEqual(expect.arrayContaining(["schema_registry", ...SERVICE_DATABASES]));
    } finally {
      await client.end();
    }
  });

  it("Kafka works with kafkajs: topics, idempotent acks=-1 produce, group consume and commit", async () => {
    const result = await runKafkajsSmoke(endpoints.kafkaBrokers, endpoints.kafkaCredentials.admin);
    expect(result.steps).toHaveLength(5);
  }, 60_000);

  it("Kafka refuses a client without credentials, or with a wrong password", async () => {
    expect(await kafkaAnswers(endpoints.kafkaBrokers, undefined)).toBe(false);
    const admin = endpoints.kafkaCredentials.admin;
    expect(await kafkaAnswers(endpoints.kafkaBrokers, { ...admin, password: `${admin.password}x` })).toBe(
      false,
    );
    expect(await kafkaAnswers(endpoints.kafkaBrokers, admin)).toBe(true);
  }, 30_000);

  it.skipIf(!mayStopServers)(
    "schema ids survive a registry restart (SQL storage)",
    async () => {
      const subject = `infra-test-${randomUUID()}-value`;
      const schema = JSON.stringify({
        type: "record",
        name: "Probe",
        namespace: "infra.test",
        fields: [{ name: "id", type: "string" }],
      });
      const registered = await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}/versions`, {
        method: "POST",
        headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
        body: JSON.stringify({ schema }),
      });
      expect(registered.status).toBe(200);
      const { id } = (await registered.json()) as { id: number };

      const infra = topology(loadOptions(quiet));
      await ensureStopped(infra.registry, infra.context);
      await ensureRunning(infra.registry, infra.context);

      const fetched = await fetch(`${endpoints.schemaRegistryUrl}/schemas/ids/${id}`);
      expect(fetched.status).toBe(200);
      const body = (await fetched.json()) as { schema: string };
      expect(JSON.parse(body.schema)).toEqual(JSON.parse(schema));
    },
    120_000,
  );

  it.skipIf(!mayStopServers)(
    "stopKafka and startKafka stop and resume the broker alone",
    async () => {
      const admin = endpoints.kafkaCredentials.admin;
      await stopKafka(quiet);
      expect(await kafkaAnswers(endpoints.kafkaBrokers, admin)).toBe(false);
      await startKafka(quiet);
      expect(await kafkaAnswers(endpoints.kafkaBrokers, admin)).toBe(true);
      expect((await localInfrastructureStatus()).allUp).toBe(true);
    },
    120_000,
  );
});
