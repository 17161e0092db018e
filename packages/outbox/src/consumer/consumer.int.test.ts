import { randomUUID } from "node:crypto";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { headersToStrings } from "@fulfillment/contracts";
import { createTopics, readUntil, testEndpoints, uniqueName } from "@fulfillment/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermanentError } from "../errors.js";
import { createOutboxFixture, orderCreated, type OutboxFixture } from "../outbox.fixture.js";
import { DEAD_LETTER_HEADERS } from "./dead-letter.js";
import { listDeadLetters, redriveDeadLetters } from "./dead-letter-tools.js";

let fx: OutboxFixture;

beforeAll(async () => {
  fx = await createOutboxFixture("consumer");
});
afterAll(async () => {
  await fx?.dispose();
});

describe("consumer runner", () => {
  it("dead-letters each kind of poison record with its error and origin, and keeps consuming", async () => {
    const topic = fx.topic("order.events.v1");
    const producer = fx.kafka.producer();
    await producer.connect();
    // A record of a schema the registry knows but this system does not.
    const foreign = new SchemaRegistry({ host: testEndpoints().schemaRegistryUrl });
    const foreignSchema = {
      type: "record" as const,
      name: "Stranger",
      namespace: "elsewhere",
      fields: [{ name: "x", type: "string" }],
    };
    const { id: foreignId } = await foreign.register(foreignSchema, {
      subject: `${uniqueName("foreign")}-elsewhere.Stranger`,
    });
    const orderCreatedId = await fx.codec.schemaIdOf("OrderCreated");
    const header = (id: number) =>
      Buffer.from([0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]);

    const goodBefore = orderCreated(randomUUID());
    const goodAfter = orderCreated(randomUUID());
    const breaksContract = orderCreated(randomUUID(), {
      items: [{ sku: "AMOX-500", quantity: 0, unitPriceCents: 1 }],
    });
    // About 200 kB: far over the contract's 100 characters, well under the broker's message size.
    const overLimit = orderCreated(randomUUID(), { patientId: "p".repeat(200_000) });
    const rejectedByHandler = orderCreated(randomUUID(), {
      items: [{ sku: "REJECTED-BY-HANDLER", quantity: 1, unitPriceCents: 1 }],
    });
    // A record of a real type, on a topic that does not carry it.
    const misplaced = {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      orderId: randomUUID(),
      reservationId: "res-misplaced",
      lines: [{ sku: "AMOX-500", quantity: 1 }],
    };
    const poison = [
      { key: "not-avro", value: Buffer.from('{"orderId": "plain json"}'), expect: "NOT_WIRE_FORMAT" },
      {
        key: "unknown-id",
        value: Buffer.concat([header(987_654_321), Buffer.from([2, 65])]),
        expect: "UNKNOWN_SCHEMA_ID",
      },
      {
        key: "unknown-type",
        value: await foreign.encode(foreignId, { x: "hello" }),
        expect: "UNKNOWN_RECORD_TYPE",
      },
      {
        key: "truncated",
        value: Buffer.concat([header(orderCreatedId), Buffer.from([72, 97])]),
        expect: "INVALID_CONTENT",
      },
      {
        key: misplaced.orderId,
        value: await fx.codec.encode("InventoryReserved", misplaced),
        expect: "UNEXPECTED_RECORD_TYPE",
      },
      {
        key: breaksContract.orderId,
        value: await fx.codec.encode("OrderCreated", breaksContract),
        expect: "INVALID_CONTENT",
      },
      {
        key: overLimit.orderId,
        value: await fx.codec.encode("OrderCreated", overLimit),
        expect: "INVALID_CONTENT",
        says: "patientId is 200000 characters long, at most 100 allowed",
      },
      {
        key: rejectedByHandler.orderId,
        value: await fx.codec.encode("OrderCreated", rejectedByHandler),
        expect: "REJECTED_BY_HANDLER",
      },
    ];
    await producer.send({
      topic,
      messages: [
        { key: goodBefore.orderId, value: await fx.codec.encode("OrderCreated", goodBefore) },
        ...poison.map(({ key, value }) => ({ key, value, headers: { "correlation-id": `c-${key}` } })),
        { key: goodAfter.orderId, value: await fx.codec.encode("OrderCreated", goodAfter) },
      ],
    });
    await producer.disconnect();

    const handled: string[] = [];
    const groupId = uniqueName("poison");
    const consumer = fx.consumer({
      groupId,
      topics: [topic],
      deadLetterTopic: fx.deadLetterTopic,
      handlers: {
        OrderCreated: (value) => {
          handled.push(value.orderId);
          if (value.items.some((i) => i.sku === "REJECTED-BY-HANDLER"))
            throw new PermanentError("REJECTED_BY_HANDLER", "this handler refuses the order");
          return Promise.resolve();
        },
        InventoryReserved: (value) => {
          handled.push(value.orderId);
          return Promise.resolve();
        },
      },
    });
    await consumer.start();
    try {
      // The runner promises at-least-once, and the records sit on partitions consumed concurrently:
      // each good record is handled (a redelivery after a rebalance may repeat one), no poison one is.
      // The handler sees the good ones and the one it refuses itself; the edge keeps the misplaced
      // record and the one that breaks the contract from it.
      const reached = [goodBefore.orderId, goodAfter.orderId, rejectedByHandler.orderId].sort();
      await expect.poll(() => [...new Set(handled)].sort(), { timeout: 30_000 }).toEqual(reached);
      expect(handled.every((id) => reached.includes(id))).toBe(true);
      const deadLetters = await readUntil(fx.kafka, fx.deadLetterTopic, (rs) => rs.length >= poison.length);
      const byKey = new Map(
        deadLetters.map((rec) => [rec.key, { ...rec, headers: headersToStrings(rec.headers) }]),
      );
      for (const p of poison) {
        const letter = byKey.get(p.key);
        expect(letter?.headers[DEAD_LETTER_HEADERS.errorCode], p.key).toBe(p.expect);
        if ("says" in p) expect(letter?.headers[DEAD_LETTER_HEADERS.errorMessage]).toContain(p.says);
        expect(letter?.headers[DEAD_LETTER_HEADERS.originTopic]).toBe(topic);
        expect(letter?.headers[DEAD_LETTER_HEADERS.originPartition]).toMatch(/^\d+$/);
        expect(letter?.headers[DEAD_LETTER_HEADERS.originOffset]).toMatch(/^\d+$/);
        expect(letter?.headers[DEAD_LETTER_HEADERS.consumerGroup]).toBe(groupId);
        expect(letter?.headers["correlation-id"]).toBe(`c-${p.key}`);
        expect(letter?.value?.equals(p.value)).toBe(true);
      }
    } finally {
      await consumer.stop();
    }
  });

  it("retries a transient failure without dead-lettering or skipping the record", async () => {
    const topic = fx.topic("order.commands.v1");
    const command = { eventId: randomUUID(), occurredAt: Date.now(), orderId: randomUUID(), reason: "test" };
    const producer = fx.kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ key: command.orderId, value: await fx.codec.encode("CancelOrder", command) }],
    });
    await producer.disconnect();
    const deadLetterTopic = fx.topic("transient-dlq");
    await createTopics(fx.kafka, [deadLetterTopic], 1);
    let attempts = 0;
    const consumer = fx.consumer({
      groupId: uniqueName("transient"),
      topics: [topic],
      deadLetterTopic,
      backoff: { baseMs: 20, maxMs: 100 },
      maxAttempts: 2,
      handlers: {
        CancelOrder: () => {
          attempts += 1;
          // The database being down looks like this; 8 tries is past maxAttempts for unknown errors.
          if (attempts < 8)
            throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
          return Promise.resolve();
        },
      },
    });
    await consumer.start();
    try {
      await expect.poll(() => attempts, { timeout: 30_000 }).toBe(8);
    } finally {
      await consumer.stop();
    }
    const admin = fx.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(deadLetterTopic);
    await admin.disconnect();
    expect(offsets.map((o) => o.high)).toEqual(["0"]);
  });

  it("redrives a dead letter to the group that failed on it, once its cause is fixed", async () => {
    const topic = fx.topic("inventory.commands.v1");
    const deadLetterTopic = fx.topic("redrive-dlq");
    await createTopics(fx.kafka, [deadLetterTopic], 1);
    const command = {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      orderId: randomUUID(),
      reason: "redrive test",
    };
    const producer = fx.kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ key: command.orderId, value: await fx.codec.encode("ReleaseInventory", command) }],
    });
    await producer.disconnect();

    let broken = true;
    const handledBy = { failing: [] as string[], bystander: [] as string[] };
    const runner = (groupId: string, count: keyof typeof handledBy) =>
      fx.consumer({
        groupId,
        topics: [topic],
        deadLetterTopic,
        handlers: {
          ReleaseInventory: (value) => {
            if (count === "failing" && broken) throw new PermanentError("BUG", "a bug in the handler");
            handledBy[count].push(value.eventId);
            return Promise.resolve();
          },
        },
      });
    const failing = runner(uniqueName("failing"), "failing");
    const bystander = runner(uniqueName("bystander"), "bystander");
    await Promise.all([failing.start(), bystander.start()]);
    try {
      await expect
        .poll(async () => (await listDeadLetters(fx.kafka, deadLetterTopic)).length, { timeout: 30_000 })
        .toBe(1);
      const [letter] = await listDeadLetters(fx.kafka, deadLetterTopic);
      expect(letter).toMatchObject({ errorCode: "BUG", key: command.orderId, origin: { topic } });
      broken = false;
      expect(await redriveDeadLetters(fx.kafka, deadLetterTopic)).toBe(1);
      expect(await redriveDeadLetters(fx.kafka, deadLetterTopic)).toBe(0);
      await expect.poll(() => handledBy.failing, { timeout: 30_000 }).toEqual([command.eventId]);
      // The bystander group handled the original once and skips the redriven copy: a record sent
      // after it on the same partition (same key) is the next one the bystander handles.
      const sentinel = { ...command, eventId: randomUUID() };
      const after = fx.kafka.producer();
      await after.connect();
      await after.send({
        topic,
        messages: [{ key: command.orderId, value: await fx.codec.encode("ReleaseInventory", sentinel) }],
      });
      await after.disconnect();
      await expect.poll(() => handledBy.bystander.includes(sentinel.eventId), { timeout: 30_000 }).toBe(true);
      expect(handledBy.bystander).toEqual([command.eventId, sentinel.eventId]);
      await expect
        .poll(() => handledBy.failing, { timeout: 30_000 })
        .toEqual([command.eventId, sentinel.eventId]);
    } finally {
      await Promise.all([failing.stop(), bystander.stop()]);
    }
  });
});
