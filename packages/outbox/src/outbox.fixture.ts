/** Per-test-file fixture for integration tests: a database of its own, topics of its own, real Kafka and registry. */
import { randomUUID } from "node:crypto";
import { MessageCodec, topicCatalog, type OrderCancelled, type OrderCreated } from "@fulfillment/contracts";
import {
  createTestDatabase,
  createTopics,
  testEndpoints,
  testKafka,
  testLogLevel,
  uniqueName,
  type TestDatabase,
} from "@fulfillment/testing";
import type { Kafka } from "kafkajs";
import knexFactory, { type Knex } from "knex";
import { pino, type Logger } from "pino";
import { ConsumerRunner, type ConsumerRunnerOptions } from "./consumer/runner.js";
import { OutboxRelay, type OutboxRelayOptions } from "./relay.js";
import { migrationSource, outboxMigrations } from "./schema.js";

export interface OutboxFixture {
  db: TestDatabase;
  knex: Knex;
  kafka: Kafka;
  codec: MessageCodec;
  logger: Logger;
  /** Prefix on every saga topic, so this file's records are its own. */
  topicPrefix: string;
  topic(name: string): string;
  deadLetterTopic: string;
  /** A relay over this fixture's database and topics. */
  relay(overrides?: Partial<OutboxRelayOptions>): OutboxRelay;
  /** A consumer runner on this fixture's broker, registry, database and logger. */
  consumer(options: Omit<ConsumerRunnerOptions, "kafka" | "codec" | "logger" | "knex">): ConsumerRunner;
  dispose(): Promise<void>;
}

export async function createOutboxFixture(label: string): Promise<OutboxFixture> {
  const endpoints = testEndpoints();
  const db = await createTestDatabase(endpoints.postgresUrl, label);
  const knex = knexFactory({ client: "pg", connection: db.url, pool: { min: 0, max: 20 } });
  await knex.migrate.latest({ migrationSource: migrationSource(outboxMigrations) });
  const kafka = testKafka(endpoints);
  const topicPrefix = `${uniqueName(label)}.`;
  const deadLetterTopic = `${topicPrefix}dlq`;
  await createTopics(kafka, [
    ...topicCatalog.filter((t) => t.kind !== "dead-letter").map((t) => topicPrefix + t.name),
    deadLetterTopic,
  ]);
  const logger = pino({ level: testLogLevel() });
  const codec = MessageCodec.connect(endpoints.schemaRegistryUrl);
  return {
    db,
    knex,
    kafka,
    codec,
    logger,
    topicPrefix,
    topic: (name) => topicPrefix + name,
    deadLetterTopic,
    relay: (overrides = {}) =>
      new OutboxRelay({ knex, databaseUrl: db.url, kafka, codec, logger, topicPrefix, ...overrides }),
    consumer: (options) => new ConsumerRunner({ kafka, codec, logger, knex, topicPrefix, ...options }),
    dispose: async () => {
      await knex.destroy();
      await db.drop();
    },
  };
}

/** A valid OrderCreated for `orderId`. */
export function orderCreated(orderId: string, overrides: Partial<OrderCreated> = {}): OrderCreated {
  return {
    eventId: randomUUID(),
    occurredAt: Date.now(),
    orderId,
    patientId: "patient-1",
    prescriberId: null,
    items: [{ sku: "AMOX-500", quantity: 2, unitPriceCents: 1299 }],
    shippingAddress: {
      line1: "1 Main St",
      line2: null,
      city: "Springfield",
      region: "IL",
      postalCode: "62701",
      country: "US",
    },
    currency: "USD",
    ...overrides,
  };
}

/** An OrderCancelled whose reason carries a sequence number, to check per-key order. */
export function orderCancelled(orderId: string, reason: string): OrderCancelled {
  return { eventId: randomUUID(), occurredAt: Date.now(), orderId, reason };
}
