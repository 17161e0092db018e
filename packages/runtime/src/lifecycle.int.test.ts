import { createServer } from "node:net";
import { deployContracts, kafkaAcls, MessageCodec } from "@fulfillment/contracts";
import {
  createTestDatabase,
  readUntil,
  testEndpoints,
  testKafka,
  uniqueName,
  type TestDatabase,
  freePort,
} from "@fulfillment/testing";
import kafkajs, { type Admin } from "kafkajs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  exitWithin,
  killLeftoverServices,
  spawnService,
  type ServiceProcess,
} from "./service-process.fixture.js";

const { AclOperationTypes } = kafkajs;
const endpoints = testEndpoints();
const credentials = endpoints.kafkaPrincipals?.shipment;
const prefix = `${uniqueName("life")}.`;
const kafka = testKafka(endpoints);
let db: TestDatabase;
let admin: Admin;

beforeAll(async () => {
  db = await createTestDatabase(endpoints.postgresUrl, "lifecycle");
  admin = kafka.admin();
  await admin.connect();
  await deployContracts(admin, MessageCodec.connect(endpoints.schemaRegistryUrl), { topicPrefix: prefix });
});
afterEach(() => killLeftoverServices());
afterAll(async () => {
  await admin?.deleteAcls({ filters: kafkaAcls(prefix) }).catch(() => undefined);
  await admin?.disconnect();
  await db?.drop();
});

/** The shipment service's settings for a child process on this file's database and topics. */
function serviceEnv(port: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SERVICE_NAME: "shipment",
    PORT: String(port),
    LOG_LEVEL: "info",
    DATABASE_URL: db.url,
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    TOPIC_PREFIX: prefix,
    // A group per process, so one killed mid-way leaves no member behind for the next one.
    CONSUMER_GROUP: `${prefix}shipment-${uniqueName("g")}`,
    ...(credentials
      ? {
          KAFKA_SASL_MECHANISM: credentials.mechanism,
          KAFKA_SASL_USERNAME: credentials.username,
          KAFKA_SASL_PASSWORD: credentials.password,
        }
      : {}),
    ...overrides,
  };
}

async function started(overrides: Record<string, string> = {}): Promise<ServiceProcess & { url: string }> {
  const port = await freePort();
  const service = spawnService(serviceEnv(port, overrides));
  await service.logged("service started");
  return { ...service, url: `http://127.0.0.1:${port}` };
}

/** The parts a process stopped, in the order its shutdown stopped them (each line says its step). */
const stoppedParts = (service: ServiceProcess) =>
  service.lines
    .filter((line) => line.msg === "stopped")
    .sort((a, b) => Number(a.step) - Number(b.step))
    .map((line) => line.part);

describe("graceful shutdown of a service process", () => {
  it("on SIGTERM stops the parts last started first and exits 0", async () => {
    const service = await started();
    service.signal("SIGTERM");
    expect(await exitWithin(service, 30_000)).toBe(0);
    expect(stoppedParts(service)).toEqual([
      "http",
      "fixture worker",
      "consumer",
      "outbox relay",
      "kafka admin",
      "database",
      "telemetry",
    ]);
  });

  it("exits 1 once SHUTDOWN_TIMEOUT_MS has passed when a part never finishes stopping", async () => {
    const service = await started({ FIXTURE_WORKER_STOP: "hangs", SHUTDOWN_TIMEOUT_MS: "2000" });
    const signalledAt = Date.now();
    service.signal("SIGTERM");
    expect(await exitWithin(service, 20_000)).toBe(1);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1_900);
    expect(service.lines.some((line) => line.msg === "shutdown timed out; exiting")).toBe(true);
    expect(stoppedParts(service)).toEqual(["http"]);
  });

  it("still stops the other parts when one fails to stop, and exits 1", async () => {
    const service = await started({ FIXTURE_WORKER_STOP: "fails" });
    service.signal("SIGTERM");
    expect(await exitWithin(service, 30_000)).toBe(1);
    const failed = service.lines.find((line) => line.msg === "failed to stop cleanly");
    expect(failed?.part).toBe("fixture worker");
    expect(stoppedParts(service)).toEqual([
      "http",
      "consumer",
      "outbox relay",
      "kafka admin",
      "database",
      "telemetry",
    ]);
  });
});

describe("a start that fails at a late step", () => {
  it("leaves the consumer group it had joined, and exits 1 saying why", async () => {
    // The port is taken: everything else started before the HTTP server could listen.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const address = taken.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const env = serviceEnv(port);
    try {
      const service = spawnService(env);
      expect(await exitWithin(service, 60_000)).toBe(1);
      expect(service.lines.some((line) => line.msg === "service started")).toBe(false);
      const fatal = service.lines.find((line) => line.level === 60);
      expect(fatal?.msg).toMatch(/^failed to start/);
      expect((fatal?.err as { message?: string } | undefined)?.message).toMatch(/EADDRINUSE/);
      // It had joined its group (the consumer starts before HTTP) and left it on the way out; a
      // process that just died would still be a member until its session timed out.
      const { groups } = await admin.describeGroups([env.CONSUMER_GROUP!]);
      expect(groups[0]?.members).toEqual([]);
      expect(groups[0]?.state).toBe("Empty");
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe.skipIf(credentials === undefined)("readiness under the broker's ACLs", () => {
  it("answers 503 while the consumer is out of its group after a crash, and 200 once it is back", async () => {
    const deadLetterTopic = `${prefix}shipment.dlq.v1`;
    const deadLetterAcls = kafkaAcls(prefix).filter(
      (acl) =>
        acl.principal === "User:shipment" &&
        acl.resourceName === deadLetterTopic &&
        acl.operation === AclOperationTypes.WRITE,
    );
    expect(deadLetterAcls).toHaveLength(1);
    // Writing the dead-letter topic is refused (seeing it is not, or the start check would fail):
    // the first poison record crashes the consumer.
    await admin.deleteAcls({ filters: deadLetterAcls });
    const service = await started();
    const readiness = async () => {
      const response = await fetch(`${service.url}/readyz`);
      const body = (await response.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
      return { status: response.status, checks: body.checks };
    };
    try {
      await expect.poll(async () => (await readiness()).status, { timeout: 30_000 }).toBe(200);
      const key = uniqueName("poison");
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: `${prefix}order.events.v1`, messages: [{ key, value: "not avro" }] });
      await producer.disconnect();
      await expect.poll(readiness, { timeout: 30_000, interval: 50 }).toEqual({
        status: 503,
        checks: {
          database: { ok: true },
          broker: { ok: true },
          registry: { ok: true },
          consumer: { ok: false, error: "consumer is not in its group" },
        },
      });
      await admin.createAcls({ acl: deadLetterAcls });
      await readUntil(kafka, deadLetterTopic, (records) => records.some((r) => r.key === key), 60_000);
      await expect.poll(async () => (await readiness()).status, { timeout: 30_000 }).toBe(200);
    } finally {
      service.signal("SIGTERM");
      await service.exited;
    }
  });
});
