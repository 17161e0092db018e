import { randomUUID } from "node:crypto";
import { createServer, connect, type Socket } from "node:net";
import {
  headersToStrings,
  kafkaAcls,
  MessageCodec,
  type MessageName,
  type MessageTypes,
} from "@fulfillment/contracts";
import {
  createTopics,
  freePort,
  readUntil,
  testEndpoints,
  testKafka,
  uniqueName,
} from "@fulfillment/testing";
import { pino, type Logger } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboxFixture, type OutboxFixture } from "../outbox.fixture.js";
import { DEAD_LETTER_HEADERS } from "./dead-letter.js";
import { ConsumerRunner } from "./runner.js";

let fx: OutboxFixture;

beforeAll(async () => {
  fx = await createOutboxFixture("consumer_failures");
});
afterAll(async () => {
  await fx?.dispose();
});

/** A logger whose lines the test reads, as an operator would. */
function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

function cancelOrder() {
  return { eventId: randomUUID(), occurredAt: Date.now(), orderId: randomUUID(), reason: "test" };
}

async function produce<M extends MessageName>(topic: string, name: M, values: Array<MessageTypes[M]>) {
  const producer = fx.kafka.producer();
  await producer.connect();
  try {
    const messages = await Promise.all(
      values.map(async (value) => ({
        key: (value as { orderId: string }).orderId,
        value: await fx.codec.encode(name, value),
      })),
    );
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

async function highWatermarks(topic: string): Promise<string[]> {
  const admin = fx.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).map((o) => o.high);
  } finally {
    await admin.disconnect();
  }
}

async function committedOffsets(groupId: string, topic: string): Promise<string[]> {
  const admin = fx.kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).map((p) => p.offset);
  } finally {
    await admin.disconnect();
  }
}

/** A dead-letter topic of one partition for one test. */
async function deadLetterTopicFor(label: string): Promise<string> {
  const topic = fx.topic(uniqueName(label));
  await createTopics(fx.kafka, [topic], 1);
  return topic;
}

describe("consumer runner failures", () => {
  it("dead-letters a record after maxAttempts of an unclassified error, carrying the error", async () => {
    const topic = fx.topic("order.commands.v1");
    const deadLetterTopic = await deadLetterTopicFor("unknown-dlq");
    const command = cancelOrder();
    await produce(topic, "CancelOrder", [command]);
    let attempts = 0;
    const groupId = uniqueName("unknown");
    const consumer = fx.consumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      maxAttempts: 3,
      backoff: { baseMs: 20, maxMs: 50 },
      handlers: {
        CancelOrder: (value) => {
          if (value.eventId !== command.eventId) return Promise.resolve();
          attempts += 1;
          return Promise.reject(new RangeError("the handler has a bug"));
        },
      },
    });
    await consumer.start();
    try {
      const [letter] = await readUntil(fx.kafka, deadLetterTopic, (rs) => rs.length >= 1);
      const headers = headersToStrings(letter?.headers);
      expect(letter?.key).toBe(command.orderId);
      expect(headers[DEAD_LETTER_HEADERS.errorClass]).toBe("unknown");
      expect(headers[DEAD_LETTER_HEADERS.errorCode]).toBe("RangeError");
      expect(headers[DEAD_LETTER_HEADERS.errorMessage]).toBe("the handler has a bug");
      expect(headers[DEAD_LETTER_HEADERS.attempts]).toBe("3");
      expect(headers[DEAD_LETTER_HEADERS.consumerGroup]).toBe(groupId);
      expect(attempts).toBe(3);
      expect(consumer.deadLetterCount()).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it("leaves a record it was retrying when stopped uncommitted, and the next runner in the group handles it", async () => {
    const topic = fx.topic("prescription.commands.v1");
    const deadLetterTopic = await deadLetterTopicFor("stop-dlq");
    const command = cancelOrder();
    await produce(topic, "CancelPrescription", [command]);
    const groupId = uniqueName("stop");
    let failedAttempts = 0;
    const first = fx.consumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      backoff: { baseMs: 100, maxMs: 200 },
      handlers: {
        CancelPrescription: () => {
          failedAttempts += 1;
          // The database is down: retried for as long as it takes, never dead-lettered.
          return Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
        },
      },
    });
    await first.start();
    await expect.poll(() => failedAttempts, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await first.stop();
    expect(await committedOffsets(groupId, topic)).toEqual(["-1", "-1", "-1"]);

    const handled: string[] = [];
    const second = fx.consumer({
      groupId,
      topics: [topic],
      deadLetterTopic,
      handlers: { CancelPrescription: (value) => Promise.resolve(void handled.push(value.eventId)) },
    });
    await second.start();
    try {
      await expect.poll(() => handled, { timeout: 30_000 }).toEqual([command.eventId]);
    } finally {
      await second.stop();
    }
    expect(await highWatermarks(deadLetterTopic)).toEqual(["0"]);
  });

  it("retries while the schema registry cannot be reached, and handles the record once it answers", async () => {
    const topic = fx.topic("inventory.commands.v1");
    const deadLetterTopic = await deadLetterTopicFor("registry-dlq");
    const command = cancelOrder();
    await produce(topic, "ReleaseInventory", [command]);
    // A port that was just free: nothing listens there until the proxy to the registry opens on it.
    const registry = new URL(testEndpoints().schemaRegistryUrl);
    const proxy = tcpProxy(registry.hostname, Number(registry.port));
    const port = await freePort();
    const { logger, lines } = capturedLogger();
    const handled: string[] = [];
    const consumer = new ConsumerRunner({
      kafka: fx.kafka,
      codec: MessageCodec.connect(`http://127.0.0.1:${port}${registry.pathname}`),
      logger,
      knex: fx.knex,
      topicPrefix: fx.topicPrefix,
      groupId: uniqueName("registry"),
      topics: [topic],
      deadLetterTopic,
      maxAttempts: 2,
      backoff: { baseMs: 50, maxMs: 200 },
      handlers: { ReleaseInventory: (value) => Promise.resolve(void handled.push(value.eventId)) },
    });
    await consumer.start();
    try {
      const registryRetries = () =>
        lines.filter(
          (line) =>
            line.msg === "handling failed; retrying" &&
            line.errorClass === "transient" &&
            (line.err as { code?: string } | undefined)?.code === "REGISTRY_UNAVAILABLE",
        ).length;
      // More tries than maxAttempts allows an unclassified error: this one is known to be transient.
      await expect.poll(registryRetries, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
      expect(handled).toEqual([]);
      await proxy.listen(port);
      await expect.poll(() => handled, { timeout: 60_000 }).toEqual([command.eventId]);
      expect(consumer.deadLetterCount()).toBe(0);
    } finally {
      await consumer.stop();
      await proxy.close();
    }
    expect(await highWatermarks(deadLetterTopic)).toEqual(["0"]);
  });
});

const principals = testEndpoints().kafkaPrincipals;

describe.skipIf(principals === undefined)("consumer runner crashes under the broker's ACLs", () => {
  it("restarts a consumer that crashed because its dead-letter topic refused it, and consumes on once allowed", async () => {
    // The shipment principal reads inventory.events.v1 in its own group; writing its dead-letter
    // topic is granted only later, as an operator fixing a missing ACL would.
    const topic = fx.topic("inventory.events.v1");
    const deadLetterTopic = fx.topic("shipment.dlq.v1");
    await createTopics(fx.kafka, [deadLetterTopic], 1);
    const own = kafkaAcls(fx.topicPrefix).filter((acl) => acl.principal === "User:shipment");
    const deadLetterAcls = own.filter((acl) => acl.resourceName === deadLetterTopic);
    expect(deadLetterAcls.length).toBeGreaterThan(0);
    const admin = fx.kafka.admin();
    await admin.connect();
    await admin.createAcls({ acl: own.filter((acl) => !deadLetterAcls.includes(acl)) });

    const poisonKey = randomUUID();
    const after = inventoryReleased({ eventId: randomUUID(), occurredAt: Date.now(), orderId: poisonKey });
    const producer = fx.kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: poisonKey, value: Buffer.from("not avro") },
        { key: poisonKey, value: await fx.codec.encode("InventoryReleased", after) },
      ],
    });
    await producer.disconnect();

    const { logger, lines } = capturedLogger();
    const handled: string[] = [];
    const consumer = new ConsumerRunner({
      kafka: testKafka(testEndpoints(), uniqueName("shipment"), principals!.shipment),
      codec: fx.codec,
      logger,
      knex: fx.knex,
      topicPrefix: fx.topicPrefix,
      groupId: `${fx.topicPrefix}shipment`,
      topics: [topic],
      deadLetterTopic,
      backoff: { baseMs: 100, maxMs: 500 },
      handlers: { InventoryReleased: (value) => Promise.resolve(void handled.push(value.eventId)) },
    });
    await consumer.start();
    try {
      const crashes = () =>
        lines.filter((line) => line.msg === "consumer crashed" && line.restart === false).length;
      // Each restart meets the poison record again and crashes again: two crashes prove a restart.
      await expect.poll(crashes, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
      expect(handled).toEqual([]);
      await admin.createAcls({ acl: deadLetterAcls });
      await expect.poll(() => handled, { timeout: 60_000 }).toEqual([after.eventId]);
      const [letter] = await readUntil(fx.kafka, deadLetterTopic, (rs) => rs.length >= 1);
      expect(headersToStrings(letter?.headers)[DEAD_LETTER_HEADERS.errorCode]).toBe("NOT_WIRE_FORMAT");
      expect(consumer.isRunning()).toBe(true);
    } finally {
      await consumer.stop();
      await admin.deleteAcls({ filters: own });
      await admin.disconnect();
    }
  });
});

function inventoryReleased(base: { eventId: string; occurredAt: number; orderId: string }) {
  return { ...base, reservationId: null, lines: [{ sku: "AMOX-500", quantity: 1 }], reason: "test" };
}

/** Forwards every connection to host:port; closing it ends the open connections too. */
function tcpProxy(
  host: string,
  port: number,
): { listen(port: number): Promise<void>; close(): Promise<void> } {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => (socket === client ? upstream : client).destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    listen: (at) => new Promise((resolve) => server.listen(at, "127.0.0.1", resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
