/**
 * A consumer runner in a process of its own, for tests that SIGKILL it mid-batch. Its settings
 * come as JSON in its first argument; each OrderCreated it handles inserts an effect row
 * (settings.table) in the batch's transaction and then waits `delayMs`, so a batch stays open
 * long enough to be killed.
 * It prints "started" once it consumes.
 */
import { MessageCodec } from "@fulfillment/contracts";
import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import knexFactory from "knex";
import { pino } from "pino";
import { ConsumerRunner } from "./runner.js";

export interface ConsumerFixtureSettings {
  brokers: string[];
  sasl?: { mechanism: string; username: string; password: string };
  registryUrl: string;
  databaseUrl: string;
  topicPrefix: string;
  topic: string;
  groupId: string;
  deadLetterTopic: string;
  /** Where the effects go: (event_id, by). */
  table: string;
  maxBatchSize: number;
  delayMs: number;
}

const settings = JSON.parse(process.argv[2] ?? "{}") as ConsumerFixtureSettings;
const knex = knexFactory({ client: "pg", connection: settings.databaseUrl, pool: { min: 0, max: 4 } });
const kafka = new Kafka({
  clientId: "consumer-fixture",
  brokers: settings.brokers,
  logLevel: logLevel.NOTHING,
  ...(settings.sasl ? { sasl: { ...settings.sasl } as SASLOptions } : {}),
});
const runner = new ConsumerRunner({
  kafka,
  codec: MessageCodec.connect(settings.registryUrl),
  logger: pino({ level: "warn" }),
  knex,
  topicPrefix: settings.topicPrefix,
  groupId: settings.groupId,
  topics: [settings.topic],
  deadLetterTopic: settings.deadLetterTopic,
  maxBatchSize: settings.maxBatchSize,
  sessionTimeoutMs: 6_000,
  handlers: {
    OrderCreated: async (value, { trx }) => {
      await trx(settings.table).insert({ event_id: value.eventId, by: "process" });
      await new Promise((resolve) => setTimeout(resolve, settings.delayMs));
    },
  },
});
await runner.start();
console.log("started");
