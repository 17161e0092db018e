import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { saslOf, type KafkaUserCredentials } from "./credentials.js";

/** What the kafkajs smoke test observed, step by step. */
export interface KafkajsSmokeResult {
  readonly topic: string;
  readonly steps: readonly string[];
}

const MESSAGES = 10;

/**
 * Proves that kafkajs works against the broker the way our services use it: admin createTopics,
 * an idempotent producer with acks=-1, and a consumer group that joins, consumes and commits.
 * Throws with the failing step in the message.
 */
export async function runKafkajsSmoke(
  brokers: readonly string[],
  credentials: KafkaUserCredentials,
  timeoutMs = 30_000,
): Promise<KafkajsSmokeResult> {
  const kafka = new Kafka({
    clientId: "infra-smoke",
    brokers: [...brokers],
    sasl: saslOf(credentials),
    logLevel: logLevel.NOTHING,
  });
  const topic = `infra-smoke-${randomUUID()}`;
  const groupId = `infra-smoke-${randomUUID()}`;
  const steps: string[] = [];
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId });
  let step = "admin connect";
  try {
    await admin.connect();
    step = "describeCluster";
    const cluster = await admin.describeCluster();
    steps.push(
      `describeCluster: ${cluster.brokers.length} broker(s), controller ${String(cluster.controller)}`,
    );
    step = "createTopics";
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    steps.push(`createTopics: ${topic} (3 partitions)`);
    step = "idempotent produce (acks=-1)";
    await producer.connect();
    const sent = await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: MESSAGES }, (_, i) => ({ key: `k${i % 3}`, value: `v${i}` })),
    });
    steps.push(`produce: ${MESSAGES} messages, idempotent, acks=-1 -> ${sent.length} partition result(s)`);
    step = "consumer group join + consume";
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = await consumeAll(consumer, topic, timeoutMs);
    steps.push(`consume: group ${groupId} received ${received}/${MESSAGES}`);
    step = "commit + fetchOffsets";
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    // Partitions that received nothing report offset -1 (no commit).
    const offsets = committed.flatMap((t) => t.partitions).map((p) => Number(p.offset));
    const total = offsets.filter((offset) => offset > 0).reduce((sum, offset) => sum + offset, 0);
    if (total !== MESSAGES) throw new Error(`committed offsets sum to ${total}, expected ${MESSAGES}`);
    steps.push(`commit: committed offsets sum to ${total}`);
    step = "deleteTopics";
    await consumer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    return { topic, steps };
  } catch (error) {
    throw new Error(`kafkajs smoke failed at "${step}" (passed: ${steps.join("; ") || "none"})`, {
      cause: error,
    });
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}

type SmokeConsumer = ReturnType<Kafka["consumer"]>;

async function consumeAll(consumer: SmokeConsumer, topic: string, timeoutMs: number): Promise<number> {
  let received = 0;
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`consumed ${received}/${MESSAGES} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
          received += 1;
          if (received === MESSAGES) {
            clearTimeout(timer);
            resolve(received);
          }
        },
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
}
