import { randomBytes } from "node:crypto";
import { Kafka, logLevel, type IHeaders, type KafkaMessage, type SASLOptions } from "kafkajs";
import type { TestEndpoints, TestKafkaCredentials } from "./endpoints.js";

/** A name no other test uses, for topics, consumer groups and ids. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

/**
 * A kafkajs client for tests; quiet, as some tests stop the broker on purpose. It signs in as the
 * broker's super user unless `as` names other credentials (a test of what a principal may do).
 */
export function testKafka(
  endpoints: Pick<TestEndpoints, "kafkaBrokers" | "kafkaAdmin">,
  clientId = uniqueName("test"),
  as: TestKafkaCredentials | undefined = endpoints.kafkaAdmin,
): Kafka {
  return new Kafka({
    clientId,
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
    // A fresh object: kafkajs caches an authenticator (with the password) on the one it is given.
    ...(as
      ? { sasl: { mechanism: as.mechanism, username: as.username, password: as.password } as SASLOptions }
      : {}),
  });
}

/** Creates topics (with equal partition counts) and waits for their leaders. */
export async function createTopics(kafka: Kafka, topics: string[], partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** A record as a test sees it. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/**
 * Reads `topic` from the beginning until `done` says the records seen so far are enough, or
 * fails after `timeoutMs` with what it did see, so a failing test shows the evidence.
 */
export async function readUntil(
  kafka: Kafka,
  topic: string,
  done: (records: ReadRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({ groupId: uniqueName("reader"), maxWaitTimeInMs: 100 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      eachMessage: ({ topic: t, partition, message }) => {
        records.push(toReadRecord(t, partition, message));
        if (done(records)) finish();
        return Promise.resolve();
      },
    });
    const timeout = new Promise<"timeout">((resolve) =>
      setTimeout(() => resolve("timeout"), timeoutMs).unref(),
    );
    if ((await Promise.race([finished, timeout])) === "timeout" && !done(records)) {
      throw new Error(`readUntil(${topic}) timed out after ${timeoutMs} ms with ${records.length} records`);
    }
    return records;
  } finally {
    await consumer.disconnect();
  }
}

function toReadRecord(topic: string, partition: number, message: KafkaMessage): ReadRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers: message.headers ?? {},
  };
}
