import { deadLetterToolGroupPrefix, headersToStrings } from "@fulfillment/contracts";
import type { IHeaders, Kafka, KafkaMessage } from "kafkajs";
import { DEAD_LETTER_HEADERS, REDRIVE_GROUP_HEADER } from "./dead-letter.js";

/** A dead letter as an operator reads it. */
export interface DeadLetter {
  offset: string;
  key: string | null;
  errorCode: string;
  errorMessage: string;
  errorClass: string;
  origin: { topic: string; partition: number; offset: string };
  consumerGroup: string;
  failedAt: string;
  message: KafkaMessage;
}

function toDeadLetter(message: KafkaMessage): DeadLetter {
  const h = headersToStrings(message.headers);
  return {
    offset: message.offset,
    key: message.key?.toString() ?? null,
    errorCode: h[DEAD_LETTER_HEADERS.errorCode] ?? "",
    errorMessage: h[DEAD_LETTER_HEADERS.errorMessage] ?? "",
    errorClass: h[DEAD_LETTER_HEADERS.errorClass] ?? "",
    origin: {
      topic: h[DEAD_LETTER_HEADERS.originTopic] ?? "",
      partition: Number(h[DEAD_LETTER_HEADERS.originPartition] ?? -1),
      offset: h[DEAD_LETTER_HEADERS.originOffset] ?? "",
    },
    consumerGroup: h[DEAD_LETTER_HEADERS.consumerGroup] ?? "",
    failedAt: h[DEAD_LETTER_HEADERS.failedAt] ?? "",
    message,
  };
}

/**
 * Reads the dead letters not yet taken by `groupId` (from the start for a new group), up to the
 * topic's end as it is now, and hands them to `each`. With `commit`, the group's offsets move past
 * them, so the next call sees only newer ones.
 */
async function drain(
  kafka: Kafka,
  topic: string,
  groupId: string,
  commit: boolean,
  each: (letter: DeadLetter) => Promise<void>,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
  await admin.disconnect();
  const remaining = new Map(
    ends
      .filter((e) => {
        const from = committed.find((c) => c.partition === e.partition)?.offset ?? "-1";
        return BigInt(e.high) > BigInt(from === "-1" ? e.low : from);
      })
      .map((e) => [e.partition, BigInt(e.high)]),
  );
  if (remaining.size === 0) return 0;
  let count = 0;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: commit,
          eachMessage: async ({ partition, message }) => {
            const end = remaining.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            await each(toDeadLetter(message));
            count += 1;
            if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return count;
}

/** Lists the dead letters of a topic, oldest first, without moving anything. */
export async function listDeadLetters(kafka: Kafka, topic: string): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  // Groups of the dead-letter tools are named after the topic: the operator's ACLs allow exactly those.
  const viewer = `${deadLetterToolGroupPrefix(topic)}viewer-${process.pid}-${Date.now()}`;
  await drain(kafka, topic, viewer, false, (letter) => {
    letters.push(letter);
    return Promise.resolve();
  });
  // The viewer never commits; its group is throwaway, so it is removed rather than left in the cluster.
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([viewer]).catch(() => undefined);
  await admin.disconnect();
  return letters;
}

/**
 * Sends each dead letter not redriven before back to its origin topic, with its original key,
 * value and headers, addressed to the consumer group that failed on it (other groups skip it).
 * Run it once the cause is fixed; a record that fails again returns to the dead-letter topic.
 */
export async function redriveDeadLetters(kafka: Kafka, topic: string): Promise<number> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    return await drain(kafka, topic, `${deadLetterToolGroupPrefix(topic)}redrive`, true, async (letter) => {
      const headers: IHeaders = {};
      for (const [name, value] of Object.entries(letter.message.headers ?? {})) {
        if (!name.startsWith("dlq-") && name !== REDRIVE_GROUP_HEADER && value !== undefined)
          headers[name] = value;
      }
      headers[REDRIVE_GROUP_HEADER] = letter.consumerGroup;
      headers["redriven-from"] = `${topic}@${letter.offset}`;
      await producer.send({
        topic: letter.origin.topic,
        acks: -1,
        messages: [{ key: letter.message.key, value: letter.message.value, headers }],
      });
    });
  } finally {
    await producer.disconnect();
  }
}
