import { randomUUID } from "node:crypto";
import { brokerControl, uniqueName } from "@fulfillment/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboxFixture, orderCreated, type OutboxFixture } from "./outbox.fixture.js";
import { appendToOutbox } from "./writer.js";

let fx: OutboxFixture;
const broker = await brokerControl();

beforeAll(async () => {
  fx = await createOutboxFixture("restart");
});
afterAll(async () => {
  await broker?.start();
  await fx?.dispose();
});

describe("broker restart", () => {
  // Only a broker this test run started can be stopped (declared in scripts/declared-skips.json).
  it.skipIf(!broker)(
    "loses nothing when the broker stops and restarts mid-stream",
    async () => {
      await fx.knex.schema.createTable("effects", (t) => t.text("event_id").primary());
      const groupId = uniqueName("restart");
      const relay = fx.relay();
      const consumer = fx.consumer({
        groupId,
        topics: [fx.topic("order.events.v1")],
        deadLetterTopic: fx.deadLetterTopic,
        // As the services run it: after the broker is back, the restarted consumer joins as a new
        // member, and the group waits for the old one's session to expire before it is assigned.
        sessionTimeoutMs: 10_000,
        handlers: {
          OrderCreated: async (value, { trx }) => {
            await trx("effects").insert({ event_id: value.eventId });
          },
        },
      });
      await Promise.all([relay.start(), consumer.start()]);
      const sent: string[] = [];
      const writing = (async () => {
        for (let i = 0; i < 60; i += 1) {
          const event = orderCreated(randomUUID());
          await fx.knex.transaction((trx) => appendToOutbox(trx, [{ name: "OrderCreated", value: event }]));
          sent.push(event.eventId);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      try {
        await new Promise((r) => setTimeout(r, 1_500));
        await broker!.stop();
        await new Promise((r) => setTimeout(r, 2_000));
        await broker!.start();
        await writing;
        const effects = async () =>
          Number((await fx.knex("effects").count<{ count: string }[]>("* as count").first())?.count);
        await expect.poll(effects, { timeout: 120_000, interval: 500 }).toBe(60);
        const stored = await fx.knex("effects").pluck("event_id");
        expect(new Set(stored)).toEqual(new Set(sent));
      } finally {
        await Promise.all([relay.stop(), consumer.stop()]);
      }
    },
    150_000,
  );
});
