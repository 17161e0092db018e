import { randomUUID } from "node:crypto";
import { headersToStrings, HEADERS, traceIdOf, type OrderCreated } from "@fulfillment/contracts";
import { readUntil, uniqueName } from "@fulfillment/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageContext } from "./consumer/runner.js";
import { createOutboxFixture, orderCancelled, orderCreated, type OutboxFixture } from "./outbox.fixture.js";
import { appendToOutbox } from "./writer.js";

let fx: OutboxFixture;

beforeAll(async () => {
  fx = await createOutboxFixture("relay");
});
afterAll(async () => {
  await fx?.dispose();
});

async function outboxCount(): Promise<number> {
  const row = await fx.knex("outbox").count<{ count: string }[]>("* as count").first();
  return Number(row?.count);
}

describe("outbox relay", () => {
  it("round-trips writer → relay → Kafka (Avro) → consumer, carrying the trace", async () => {
    const orderId = randomUUID();
    const sent = orderCreated(orderId);
    const cause = {
      correlationId: `corr-${orderId}`,
      traceparent: `00-${"a".repeat(32)}-${"b".repeat(16)}-01`,
    };
    await fx.knex.transaction((trx) => appendToOutbox(trx, [{ name: "OrderCreated", value: sent }], cause));

    const received: Array<{ value: OrderCreated; context: MessageContext }> = [];
    const consumer = fx.consumer({
      groupId: uniqueName("g"),
      topics: [fx.topic("order.events.v1")],
      deadLetterTopic: fx.deadLetterTopic,
      handlers: { OrderCreated: (value, context) => Promise.resolve(void received.push({ value, context })) },
    });
    const r = fx.relay();
    await Promise.all([r.start(), consumer.start()]);
    try {
      await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    } finally {
      await Promise.all([r.stop(), consumer.stop()]);
    }
    const [{ value, context }] = received as [(typeof received)[number]];
    expect(value).toEqual(sent);
    expect(context.key).toBe(orderId);
    expect(context.trace.correlationId).toBe(cause.correlationId);
    // No SDK runs in this process: the spans are the API's no-ops, so the trace goes on unchanged.
    expect(traceIdOf(context.trace.traceparent)).toBe("a".repeat(32));
    expect(context.headers[HEADERS.messageType]).toBe("OrderCreated");
    expect(await outboxCount()).toBe(0);
  });

  it("publishes everything, in per-key order, when transactions commit out of id order", async () => {
    await fx.knex.schema.createTable("probe_counter", (t) => {
      t.text("key").primary();
      t.integer("n").notNullable();
    });
    const keys = Array.from({ length: 12 }, () => randomUUID());
    const perKey = 8;
    // Writes to one key are serialized by a row lock, as a service's aggregate is; keys interleave
    // and each transaction sleeps after its insert, so commit order differs from id order.
    const r = fx.relay();
    await r.start();
    try {
      await Promise.all(
        keys.flatMap((key) =>
          Array.from({ length: perKey }, async () => {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
            await fx.knex.transaction(async (trx) => {
              const [row] = await trx("probe_counter")
                .insert({ key, n: 1 })
                .onConflict("key")
                .merge({ n: trx.raw("probe_counter.n + 1") })
                .returning<{ n: number }[]>("n");
              await appendToOutbox(trx, [
                { name: "OrderCancelled", value: orderCancelled(key, String(row?.n)) },
              ]);
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
            });
          }),
        ),
      );
      const total = keys.length * perKey;
      const ours = new Set<string>(keys);
      const records = (
        await readUntil(
          fx.kafka,
          fx.topic("order.events.v1"),
          (rs) => rs.filter((r) => ours.has(r.key ?? "")).length >= total,
          60_000,
        )
      ).filter((r) => ours.has(r.key ?? ""));
      const decoded = await Promise.all(records.map((rec) => fx.codec.decode(rec.value)));
      const sequences = new Map<string, number[]>();
      for (const message of decoded) {
        if (message.name !== "OrderCancelled") continue;
        sequences.set(message.value.orderId, [
          ...(sequences.get(message.value.orderId) ?? []),
          Number(message.value.reason),
        ]);
      }
      expect(sequences.size).toBe(keys.length);
      for (const key of keys)
        expect(sequences.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i + 1));
      // A record is readable as soon as the broker acknowledges it; its row is deleted after that.
      await expect.poll(outboxCount, { timeout: 5_000 }).toBe(0);
    } finally {
      await r.stop();
    }
  });

  it("makes a second writer of a key wait for the first to commit, so the key's records keep commit order", async () => {
    const key = randomUUID();
    const r = fx.relay({ fallbackPollMs: 50 });
    await r.start();
    let releaseFirst: () => void = () => undefined;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWrote: () => void = () => undefined;
    const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
    try {
      const first = fx.knex.transaction(async (trx) => {
        await appendToOutbox(trx, [{ name: "OrderCancelled", value: orderCancelled(key, "first") }]);
        firstWrote();
        await firstMayCommit;
      });
      await firstHasWritten;
      let secondWrote = false;
      const second = fx.knex.transaction(async (trx) => {
        await appendToOutbox(trx, [{ name: "OrderCancelled", value: orderCancelled(key, "second") }]);
        secondWrote = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The second waits on the key's lock: nothing of the key is committed, nothing published.
      expect(secondWrote).toBe(false);
      expect(r.snapshot().published).toBe(0);
      releaseFirst();
      await Promise.all([first, second]);
      const records = await readUntil(
        fx.kafka,
        fx.topic("order.events.v1"),
        (rs) => rs.filter((rec) => rec.key === key).length >= 2,
      );
      const reasons = await Promise.all(
        records.filter((rec) => rec.key === key).map(async (rec) => (await fx.codec.decode(rec.value)).value),
      );
      expect(reasons.map((value) => (value as { reason: string }).reason)).toEqual(["first", "second"]);
    } finally {
      releaseFirst();
      await r.stop();
    }
  });

  it("after a relay dies between publishing and cleaning up, the republished duplicates have no second effect", async () => {
    const keys: string[] = Array.from({ length: 5 }, () => randomUUID());
    const messages = keys.map((key) => ({ name: "OrderCreated" as const, value: orderCreated(key) }));
    await fx.knex.transaction((trx) => appendToOutbox(trx, messages));
    const rows = await fx.knex("outbox").select("*");
    const first = fx.relay();
    await first.start();
    await expect.poll(outboxCount, { timeout: 30_000 }).toBe(0);
    await first.stop();
    // The state a relay killed mid-batch leaves: rows already on Kafka, still in the outbox.
    await fx.knex("outbox").insert(rows);

    const groupId = uniqueName("inbox");
    await fx.knex.schema.createTable("effects", (t) => {
      t.text("order_id").notNullable();
    });
    const consumer = fx.consumer({
      groupId,
      topics: [fx.topic("order.events.v1")],
      deadLetterTopic: fx.deadLetterTopic,
      handlers: {
        OrderCreated: async (value, { trx }) => {
          if (keys.includes(value.orderId)) await trx("effects").insert({ order_id: value.orderId });
        },
      },
    });
    const second = fx.relay();
    await Promise.all([second.start(), consumer.start()]);
    try {
      await expect.poll(outboxCount, { timeout: 10_000 }).toBe(0);
      const topic = fx.topic("order.events.v1");
      const admin = fx.kafka.admin();
      await admin.connect();
      const sum = (offsets: Array<{ offset?: string; high?: string }>) =>
        offsets.reduce((total, o) => total + Math.max(0, Number(o.offset ?? o.high)), 0);
      try {
        // Every record twice on the topic, and the group past all of them.
        const end = sum(await admin.fetchTopicOffsets(topic));
        expect(end).toBeGreaterThanOrEqual(keys.length * 2);
        await expect
          .poll(async () => sum((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions), {
            timeout: 30_000,
          })
          .toBe(end);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await Promise.all([second.stop(), consumer.stop()]);
    }
    const effects = await fx.knex("effects").select("order_id");
    expect(effects.map((e: { order_id: string }) => e.order_id).sort()).toEqual([...keys].sort());
  });

  it("runs one active relay per database and fails over when it stops", async () => {
    const lockKey = 424_242;
    const a = fx.relay({ lockKey, standbyRetryMs: 200 });
    const b = fx.relay({ lockKey, standbyRetryMs: 200 });
    await a.start();
    await expect.poll(() => a.snapshot().active, { timeout: 10_000 }).toBe(true);
    await b.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(b.snapshot().active).toBe(false);
      await a.stop();
      await expect.poll(() => b.snapshot().active, { timeout: 10_000 }).toBe(true);
      const orderId = randomUUID();
      await fx.knex.transaction((trx) =>
        appendToOutbox(trx, [{ name: "OrderCreated", value: orderCreated(orderId) }]),
      );
      await expect.poll(outboxCount, { timeout: 10_000 }).toBe(0);
      expect(b.snapshot().published).toBeGreaterThanOrEqual(1);
    } finally {
      await b.stop();
    }
  });

  it("fails over when the active relay's session is killed, and is never active twice at once", async () => {
    const lockKey = 424_243;
    const a = fx.relay({ lockKey, standbyRetryMs: 100 });
    const b = fx.relay({ lockKey, standbyRetryMs: 100 });
    const bothActive: string[] = [];
    const watch = setInterval(() => {
      if (a.snapshot().active && b.snapshot().active) bothActive.push(new Date().toISOString());
    }, 5);
    await a.start();
    await expect.poll(() => a.snapshot().active, { timeout: 10_000 }).toBe(true);
    await b.start();
    try {
      // A crash as the database sees it: the holder's session ends without the relay stopping.
      const { rows } = await fx.knex.raw<{ rows: Array<{ killed: boolean }> }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_locks
          WHERE locktype = 'advisory' AND objid = ? AND granted`,
        [lockKey],
      );
      expect(rows.map((row) => row.killed)).toEqual([true]);
      await expect.poll(() => a.snapshot().active !== b.snapshot().active, { timeout: 10_000 }).toBe(true);
      const orderId = randomUUID();
      await fx.knex.transaction((trx) =>
        appendToOutbox(trx, [{ name: "OrderCreated", value: orderCreated(orderId) }]),
      );
      await expect.poll(outboxCount, { timeout: 10_000 }).toBe(0);
      // The crashed one came back, as the standby (the lock went to whichever asked first).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([a.snapshot().active, b.snapshot().active].sort()).toEqual([false, true]);
      expect(bothActive).toEqual([]);
    } finally {
      clearInterval(watch);
      await a.stop();
      await b.stop();
    }
  });

  it("quarantines a row it can never publish and keeps publishing the rest", async () => {
    const good = orderCreated(randomUUID());
    const tooLarge = orderCancelled(randomUUID(), "x".repeat(1_200_000));
    const invalid = {
      ...orderCreated(randomUUID()),
      items: [{ sku: "A", quantity: "two" }],
    } as unknown as OrderCreated;
    await fx.knex.transaction((trx) =>
      appendToOutbox(trx, [
        { name: "OrderCancelled", value: tooLarge },
        { name: "OrderCreated", value: invalid },
        { name: "OrderCreated", value: good },
      ]),
    );
    const r = fx.relay();
    await r.start();
    try {
      await expect.poll(outboxCount, { timeout: 30_000 }).toBe(0);
    } finally {
      await r.stop();
    }
    const quarantined = await fx.knex("outbox_quarantine").select("event_id", "error");
    const byEvent = new Map(
      quarantined.map((q: { event_id: string; error: string }) => [q.event_id, q.error]),
    );
    expect(byEvent.get(tooLarge.eventId)).toMatch(/MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/);
    expect(byEvent.get(invalid.eventId)).toMatch(/items\.0\.quantity/);
    expect(byEvent.has(good.eventId)).toBe(false);
    const records = await readUntil(fx.kafka, fx.topic("order.events.v1"), (rs) =>
      rs.some((rec) => rec.key?.toString() === good.orderId),
    );
    const published = records.filter((rec) => rec.key === good.orderId);
    expect(published).toHaveLength(1);
    expect(headersToStrings(published[0]?.headers)[HEADERS.correlationId]).toBe(good.orderId);
  });
});
