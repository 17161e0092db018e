import { createTopics, testEndpoints, testKafka, uniqueName } from "@fulfillment/testing";
import type { Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTopics } from "./topic-admin.js";
import type { TopicSpec } from "./topics.js";

const kafka = testKafka(testEndpoints());
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
});

const spec = (name: string, partitions: number): TopicSpec => ({
  name,
  kind: "events",
  partitions,
  retentionMs: 86_400_000,
  cleanupPolicy: "delete",
});

async function partitionsOf(topic: string): Promise<number | undefined> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return topics[0]?.partitions.length;
}

describe("ensureTopics", () => {
  it("creates a missing topic with its partitions and accepts it as it is on the next run", async () => {
    const name = `${uniqueName("ensure")}.order.events.v1`;
    const progress: string[] = [];
    await ensureTopics(admin, [spec(name, 4)], { onProgress: (line) => progress.push(line) });
    expect(await partitionsOf(name)).toBe(4);
    await ensureTopics(admin, [spec(name, 4)], { onProgress: (line) => progress.push(line) });
    expect(progress).toEqual([`created ${name} (4 partitions)`, `ok ${name}`]);
  });

  it("refuses a topic that exists with another partition count, saying what to do, and leaves it alone", async () => {
    const name = `${uniqueName("ensure")}.order.events.v1`;
    await createTopics(kafka, [name], 2);
    const error = await ensureTopics(admin, [spec(name, 6)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `Topic ${name} has 2 partitions but the catalog says 6. ` +
        "Partition counts cannot change without moving keys: create a new topic version instead.",
    );
    expect(await partitionsOf(name)).toBe(2);
  });
});
