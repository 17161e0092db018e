import { randomUUID } from "node:crypto";
import { readUntil, testEndpoints } from "@fulfillment/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboxFixture, orderCancelled, orderCreated, type OutboxFixture } from "./outbox.fixture.js";
import type { OutboxRelay } from "./relay.js";
import { OUTBOX_CHANNEL } from "./schema.js";
import { appendToOutbox } from "./writer.js";

// The fallback poll is a minute away: a row published within seconds was woken by its commit.
const FAR_FALLBACK_MS = 60_000;
const PROMPTLY_MS = 5_000;

let fx: OutboxFixture;

beforeAll(async () => {
  fx = await createOutboxFixture("liveness");
});
afterAll(async () => {
  await fx?.dispose();
});

async function outboxCount(): Promise<number> {
  const row = await fx.knex("outbox").count<{ count: string }[]>("* as count").first();
  return Number(row?.count);
}

/** A transaction in another database on the same server, holding an xid until it is rolled back. */
async function openTransactionElsewhere(): Promise<{ end(): Promise<void> }> {
  const elsewhere = new pg.Client({ connectionString: testEndpoints().postgresUrl });
  await elsewhere.connect();
  await elsewhere.query("BEGIN");
  // A transaction id of its own, as any write there takes: it is in every snapshot on the server.
  await elsewhere.query("SELECT pg_current_xact_id()");
  return {
    end: async () => {
      await elsewhere.query("ROLLBACK").catch(() => undefined);
      await elsewhere.end();
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The backend holding the relay's advisory lock, and what it last ran. */
async function lockHolder(lockKey: number): Promise<{ pid: number; query: string } | undefined> {
  const { rows } = await fx.knex.raw<{ rows: Array<{ pid: number; query: string }> }>(
    `SELECT l.pid, a.query FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE l.locktype = 'advisory' AND l.objid = ? AND l.granted`,
    [lockKey],
  );
  return rows[0];
}

/** Appends one row and expects the relay to publish it well before its fallback poll. */
async function expectPublishedPromptly(relay: OutboxRelay): Promise<void> {
  const before = relay.snapshot().published;
  await fx.knex.transaction((trx) =>
    appendToOutbox(trx, [{ name: "OrderCreated", value: orderCreated(randomUUID()) }]),
  );
  await expect.poll(() => relay.snapshot().published, { timeout: PROMPTLY_MS }).toBe(before + 1);
  expect(await outboxCount()).toBe(0);
}

describe("outbox relay liveness", () => {
  it("publishes a committed row at once, woken by its commit's notification, not by the fallback poll", async () => {
    const lockKey = 515_001;
    const relay = fx.relay({ lockKey, fallbackPollMs: FAR_FALLBACK_MS });
    await relay.start();
    try {
      // Listening once its session's last statement is the LISTEN; the drain that follows finds nothing.
      await expect
        .poll(async () => (await lockHolder(lockKey))?.query, { timeout: 10_000 })
        .toBe(`LISTEN ${OUTBOX_CHANNEL}`);
      // Each round ends with the relay asleep on its fallback; the second cannot ride on the first drain.
      await expectPublishedPromptly(relay);
      await expectPublishedPromptly(relay);
    } finally {
      await relay.stop();
    }
  });

  it("reconnects after its database sessions are terminated, and listens again on the new one", async () => {
    const lockKey = 515_002;
    const relay = fx.relay({ lockKey, fallbackPollMs: FAR_FALLBACK_MS });
    await relay.start();
    try {
      await expect.poll(() => relay.snapshot().active, { timeout: 10_000 }).toBe(true);
      const before = await lockHolder(lockKey);
      expect(before).toBeDefined();
      // The database's view of a restart: every session on it ends, the relay's own and the pool's.
      const { rows } = await fx.knex.raw<{ rows: Array<{ killed: boolean }> }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.every((row) => row.killed)).toBe(true);
      await expect
        .poll(
          async () => {
            const holder = await lockHolder(lockKey);
            return holder && holder.pid !== before?.pid ? holder.query : undefined;
          },
          { timeout: 15_000 },
        )
        .toBe(`LISTEN ${OUTBOX_CHANNEL}`);
      await expectPublishedPromptly(relay);
      await expectPublishedPromptly(relay);
      expect(relay.snapshot().active).toBe(true);
    } finally {
      await relay.stop();
    }
  });

  it("is not held back by a transaction left open in another database on the same server", async () => {
    const relay = fx.relay({ lockKey: 515_003, fallbackPollMs: FAR_FALLBACK_MS });
    const elsewhere = await openTransactionElsewhere();
    await relay.start();
    try {
      await expectPublishedPromptly(relay);
      await expectPublishedPromptly(relay);
    } finally {
      await elsewhere.end();
      await relay.stop();
    }
  });

  it("publishes every late commit once, in per-key commit order, while another database holds a transaction open", async () => {
    await fx.knex.schema.createTable("commit_log", (t) => {
      t.bigIncrements("seq");
      t.text("key").notNullable();
      t.text("writer").notNullable();
    });
    const keys = Array.from({ length: 5 }, () => randomUUID());
    const perKey = 10;
    const writers = keys.length * perKey;
    const relay = fx.relay({ lockKey: 515_004, fallbackPollMs: FAR_FALLBACK_MS });
    const lags: number[] = [];
    relay.onPublished((lagsMs) => lags.push(...lagsMs));
    const elsewhere = await openTransactionElsewhere();
    await relay.start();
    try {
      // Nothing but appendToOutbox orders the writers of a key: each logs itself after its append,
      // then commits up to 50 ms later, so commits land out of id order across keys.
      await Promise.all(
        keys.flatMap((key) =>
          Array.from({ length: perKey }, (_, i) =>
            fx.knex.transaction(async (trx) => {
              await pause(Math.random() * 20);
              const writer = `${i}`;
              await appendToOutbox(trx, [{ name: "OrderCancelled", value: orderCancelled(key, writer) }]);
              await trx("commit_log").insert({ key, writer });
              await pause(Math.random() * 50);
            }),
          ),
        ),
      );
      await expect.poll(outboxCount, { timeout: PROMPTLY_MS }).toBe(0);
      expect(relay.snapshot().published).toBe(writers);
      const ours = new Set<string>(keys);
      const records = (
        await readUntil(
          fx.kafka,
          fx.topic("order.events.v1"),
          (rs) => rs.filter((rec) => ours.has(rec.key ?? "")).length >= writers,
        )
      ).filter((rec) => ours.has(rec.key ?? ""));
      const published = new Map<string, string[]>();
      for (const rec of records) {
        const { value } = await fx.codec.decode(rec.value);
        const writer = (value as { reason: string }).reason;
        published.set(rec.key ?? "", [...(published.get(rec.key ?? "") ?? []), writer]);
      }
      const log = await fx.knex("commit_log").orderBy("seq").select<Array<{ key: string; writer: string }>>();
      for (const key of keys) {
        const committed = log.filter((row) => row.key === key).map((row) => row.writer);
        expect(committed).toHaveLength(perKey);
        expect(published.get(key)).toEqual(committed);
      }
      expect(lags).toHaveLength(writers);
      expect(lags.every((ms) => ms >= 0 && ms < PROMPTLY_MS)).toBe(true);
    } finally {
      await elsewhere.end();
      await relay.stop();
    }
  });

  it("is not held back by a transaction left open in its own database", async () => {
    const relay = fx.relay({ lockKey: 515_005, fallbackPollMs: FAR_FALLBACK_MS });
    const older = await fx.knex.transaction();
    await relay.start();
    try {
      // An xid in the relay's own database, older than the rows, as a long consumer batch holds.
      await older.raw("SELECT pg_current_xact_id()");
      await expectPublishedPromptly(relay);
      await expectPublishedPromptly(relay);
    } finally {
      await older.rollback();
      await relay.stop();
    }
  });

  it("measures a row's relay lag from its insert, not from its transaction's start", async () => {
    const relay = fx.relay({ lockKey: 515_006, fallbackPollMs: FAR_FALLBACK_MS });
    const lags: number[] = [];
    relay.onPublished((lagsMs) => lags.push(...lagsMs));
    await relay.start();
    try {
      await fx.knex.transaction(async (trx) => {
        await trx.raw("SELECT pg_sleep(1)");
        await appendToOutbox(trx, [{ name: "OrderCreated", value: orderCreated(randomUUID()) }]);
      });
      await expect.poll(() => lags.length, { timeout: PROMPTLY_MS }).toBe(1);
      expect(lags[0]).toBeGreaterThanOrEqual(0);
      expect(lags[0]).toBeLessThan(1_000);
    } finally {
      await relay.stop();
    }
  });
});
