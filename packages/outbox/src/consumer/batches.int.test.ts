import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { headersToStrings, type OrderCreated } from "@fulfillment/contracts";
import { createTopics, readUntil, testEndpoints, uniqueName } from "@fulfillment/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermanentError } from "../errors.js";
import { createOutboxFixture, orderCreated, type OutboxFixture } from "../outbox.fixture.js";
import type { ConsumerFixtureSettings } from "./consumer-process.fixture.js";
import { DEAD_LETTER_HEADERS } from "./dead-letter.js";
import type { ConsumerRunner } from "./runner.js";

let fx: OutboxFixture;

beforeAll(async () => {
  fx = await createOutboxFixture("batches");
});
afterAll(async () => {
  await fx?.dispose();
});

/**
 * An order.events.v1 of the test's own (under a prefix of its own, so the contract check at the
 * edge accepts OrderCreated on it) with `partitions` partitions, and an effects table.
 */
async function scenario(
  label: string,
  partitions: number,
): Promise<{ topicPrefix: string; topic: string; effects: string }> {
  const topicPrefix = `${uniqueName(label)}.`;
  const topic = `${topicPrefix}order.events.v1`;
  await createTopics(fx.kafka, [topic], partitions);
  const effects = `effects_${label.replace(/\W/g, "_")}`;
  await fx.knex.schema.createTable(effects, (t) => {
    // No key: an effect applied twice shows as two rows.
    t.text("event_id").notNullable();
    t.text("by").notNullable();
  });
  return { topicPrefix, topic, effects };
}

async function produce(topic: string, records: Array<{ key: string; value: Buffer; partition?: number }>) {
  const producer = fx.kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: records });
  } finally {
    await producer.disconnect();
  }
}

async function encoded(orders: OrderCreated[], partition?: number) {
  return Promise.all(
    orders.map(async (order) => ({
      key: order.orderId,
      value: await fx.codec.encode("OrderCreated", order),
      ...(partition === undefined ? {} : { partition }),
    })),
  );
}

/** How many times each event id's effect was applied. */
async function effectCounts(table: string): Promise<Map<string, number>> {
  const rows = await fx.knex(table).select<Array<{ event_id: string }>>("event_id");
  const counts = new Map<string, number>();
  for (const { event_id } of rows) counts.set(event_id, (counts.get(event_id) ?? 0) + 1);
  return counts;
}

async function committedTotal(groupId: string, topic: string): Promise<number> {
  const admin = fx.kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler that applies each OrderCreated once in the batch's transaction, slowly when asked. */
function effectHandler(table: string, by: string, delayMs = 0) {
  return async (value: OrderCreated, { trx }: { trx: Knex.Transaction }) => {
    if (value.items.some((item) => item.sku === "REFUSED"))
      throw new PermanentError("REFUSED", "this handler refuses the order");
    await trx(table).insert({ event_id: value.eventId, by });
    if (delayMs > 0) await pause(delayMs);
  };
}

describe("batched consumption", () => {
  it("dead-letters the poison records in the middle of a batch and commits the rest once", async () => {
    const { topicPrefix, topic, effects } = await scenario("poison", 1);
    const deadLetterTopic = fx.topic(uniqueName("poison-dlq"));
    await createTopics(fx.kafka, [deadLetterTopic], 1);
    const key = randomUUID();
    const good = Array.from({ length: 10 }, () => orderCreated(key));
    const refused = orderCreated(key, { items: [{ sku: "REFUSED", quantity: 1, unitPriceCents: 1 }] });
    // One partition, all sent before the consumer starts: the first fetch is one batch holding a
    // record its handler refuses (after five good ones) and one that is not Avro (after seven).
    const records = await encoded([...good.slice(0, 5), refused, ...good.slice(5)]);
    records.splice(8, 0, { key, value: Buffer.from("not avro") });
    await produce(topic, records);
    const groupId = uniqueName("poison");
    const calls: number[] = [];
    const consumer = fx.consumer({
      groupId,
      topicPrefix,
      topics: [topic],
      deadLetterTopic,
      handlers: {
        OrderCreated: async (value, context) => {
          calls.push(Number(context.offset));
          await effectHandler(effects, "runner")(value, context);
        },
      },
    });
    await consumer.start();
    try {
      await expect.poll(() => committedTotal(groupId, topic), { timeout: 30_000 }).toBe(records.length);
      const counts = await effectCounts(effects);
      expect([...counts.keys()].sort()).toEqual(good.map((o) => o.eventId).sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const letters = await readUntil(fx.kafka, deadLetterTopic, (rs) => rs.length >= 2);
      expect(letters.map((l) => headersToStrings(l.headers)[DEAD_LETTER_HEADERS.errorCode]).sort()).toEqual([
        "NOT_WIRE_FORMAT",
        "REFUSED",
      ]);
      expect(consumer.deadLetterCount()).toBe(2);
      // The batch ran whole first (ten handler calls up to the refusal's rollback), then record by record.
      expect(calls.length).toBeGreaterThan(good.length);
    } finally {
      await consumer.stop();
    }
  });

  it("has no second effect when the consumer is killed (SIGKILL) in the middle of a batch", async () => {
    const { topicPrefix, topic, effects } = await scenario("killed", 1);
    const orders = Array.from({ length: 40 }, () => orderCreated(randomUUID()));
    await produce(topic, await encoded(orders, 0));
    const groupId = uniqueName("killed");
    const endpoints = testEndpoints();
    const settings: ConsumerFixtureSettings = {
      brokers: endpoints.kafkaBrokers,
      ...(endpoints.kafkaAdmin ? { sasl: endpoints.kafkaAdmin } : {}),
      registryUrl: endpoints.schemaRegistryUrl,
      databaseUrl: fx.db.url,
      topicPrefix,
      topic,
      groupId,
      deadLetterTopic: fx.deadLetterTopic,
      table: effects,
      maxBatchSize: 8,
      delayMs: 50,
    };
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "consumer-process.fixture.ts"), JSON.stringify(settings)],
      {
        cwd: join(import.meta.dirname, "..", ".."),
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let next: ConsumerRunner | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on("line", (line) => line === "started" && resolve());
        child.once("exit", (code) =>
          reject(new Error(`the consumer process exited (${code}) before starting`)),
        );
      });
      // Some slices committed, one open (each takes 8 × 50 ms): kill it inside a transaction.
      await expect
        .poll(async () => (await effectCounts(effects)).size, { timeout: 30_000, interval: 20 })
        .toBeGreaterThan(8);
      await pause(150);
      child.kill("SIGKILL");
      await exited;
      const beforeKill = (await effectCounts(effects)).size;
      expect(beforeKill).toBeLessThan(orders.length);
      next = fx.consumer({
        groupId,
        topicPrefix,
        topics: [topic],
        deadLetterTopic: fx.deadLetterTopic,
        handlers: { OrderCreated: effectHandler(effects, "next") },
      });
      await next.start();
      await expect
        .poll(async () => (await effectCounts(effects)).size, { timeout: 60_000 })
        .toBe(orders.length);
      const counts = await effectCounts(effects);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      child.kill("SIGKILL");
      await next?.stop();
    }
  });

  it("has no second effect when a rebalance moves partitions in the middle of a batch", async () => {
    const { topicPrefix, topic, effects } = await scenario("rebalance", 6);
    const orders = Array.from({ length: 240 }, () => orderCreated(randomUUID()));
    await produce(topic, await encoded(orders));
    const groupId = uniqueName("rebalance");
    const member = (by: string) =>
      fx.consumer({
        groupId,
        topicPrefix,
        topics: [topic],
        deadLetterTopic: fx.deadLetterTopic,
        maxBatchSize: 5,
        // One partition at a time, slowly (about 10 s for all): the second member joins mid-way.
        partitionsConsumedConcurrently: 1,
        sessionTimeoutMs: 10_000,
        handlers: { OrderCreated: effectHandler(effects, by, 40) },
      });
    const first = member("first");
    const second = member("second");
    await first.start();
    try {
      await expect
        .poll(async () => (await effectCounts(effects)).size, { timeout: 30_000, interval: 20 })
        .toBeGreaterThan(5);
      // Joining takes partitions from the first member while its batches are open.
      await second.start();
      await expect
        .poll(async () => (await effectCounts(effects)).size, { timeout: 60_000 })
        .toBe(orders.length);
      const counts = await effectCounts(effects);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const by = await fx.knex(effects).distinct("by").pluck("by");
      expect(by.sort()).toEqual(["first", "second"]);
      await expect.poll(() => committedTotal(groupId, topic), { timeout: 30_000 }).toBe(orders.length);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
