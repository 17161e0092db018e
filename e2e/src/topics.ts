/** What a test reads from a system's topics: the records one order left, and when nothing is in flight. */
import { MessageCodec, serviceTopics } from "@fulfillment/contracts";
import { readUntil, testEndpoints, testKafka } from "@fulfillment/testing";
import { expect } from "vitest";
import type { RunningSystem } from "./system.js";

/** The end offset of each partition of each topic: records appended anywhere change it. */
export async function endOffsets(
  prefix: string,
  topics: readonly string[],
): Promise<Record<string, string[]>> {
  const admin = testKafka(testEndpoints()).admin();
  await admin.connect();
  try {
    const entries = await Promise.all(
      topics.map(
        async (topic) => [topic, (await admin.fetchTopicOffsets(prefix + topic)).map((p) => p.high)] as const,
      ),
    );
    return Object.fromEntries(entries);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until each group has committed every record of every topic its service consumes: the
 * moment nothing is left in flight, so what is compared after it is final.
 */
export async function settled(prefix: string, groups: readonly string[]): Promise<void> {
  const admin = testKafka(testEndpoints()).admin();
  await admin.connect();
  const lagOf = async (group: string) => {
    const service = (group.startsWith("saga-tracker") ? "saga-tracker" : group) as keyof typeof serviceTopics;
    const topics = serviceTopics[service].consumes.map((t) => prefix + t);
    const committed = await admin.fetchOffsets({ groupId: prefix + group, topics: [...topics] });
    let lag = 0n;
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const done = committed
          .find((c) => c.topic === topic)
          ?.partitions.find((p) => p.partition === end.partition);
        const at = done && done.offset !== "-1" ? BigInt(done.offset) : BigInt(end.low);
        lag += BigInt(end.high) - at;
      }
    }
    return lag;
  };
  try {
    await expect
      .poll(async () => (await Promise.all(groups.map(lagOf))).map(String), {
        timeout: 60_000,
        interval: 250,
      })
      .toEqual(groups.map(() => "0"));
  } finally {
    await admin.disconnect();
  }
}

export interface OrderRecord {
  name: string;
  value: Record<string, unknown>;
}

/**
 * Every record on one of the system's topics about one order, decoded, in the order they were
 * appended: the whole topic is read up to its end offsets as they stand when this is called.
 */
export async function recordsAbout(
  system: RunningSystem,
  topic: string,
  orderId: string,
): Promise<OrderRecord[]> {
  const name = system.topicPrefix + topic;
  const kafka = testKafka(testEndpoints());
  const admin = kafka.admin();
  await admin.connect();
  const total = await admin
    .fetchTopicOffsets(name)
    .then((partitions) => partitions.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0))
    .finally(() => admin.disconnect());
  const records = total === 0 ? [] : await readUntil(kafka, name, (seen) => seen.length >= total);
  const codec = MessageCodec.connect(testEndpoints().schemaRegistryUrl);
  const about = records
    .filter((r) => r.key === orderId)
    .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
  return Promise.all(
    about.map(async (r) => {
      const decoded = await codec.decode(r.value);
      return { name: decoded.name, value: decoded.value as unknown as Record<string, unknown> };
    }),
  );
}
