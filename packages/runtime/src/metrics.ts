import type { ConsumerRunner, OutboxRelay } from "@fulfillment/outbox";
import type { Admin } from "kafkajs";
import type { Knex } from "knex";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { readAtScrape } from "./scrape-reading.js";

/**
 * Outbox lag, relay and consumer state, consumer lag and dead letters, read when Prometheus
 * scrapes; and the relay lag of each published row, observed as the broker acknowledges it.
 */
export function messagingMetrics(
  registry: Registry,
  knex: Knex,
  relay: OutboxRelay,
  consumer: ConsumerRunner,
  lag: { admin: Admin; groupId: string; topics: string[] },
): void {
  new Gauge({
    name: "outbox_lag_seconds",
    help: "Age of the oldest unpublished outbox row (0 when empty).",
    registers: [registry],
    collect: readAtScrape(registry, "outbox_lag_seconds", async (gauge: Gauge) => {
      const row = await knex("outbox").min<{ oldest: Date | null }>("created_at as oldest").first();
      gauge.set(row?.oldest ? (Date.now() - new Date(row.oldest).getTime()) / 1000 : 0);
    }),
  });
  const rowCount = (name: string, help: string, table: string) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect: readAtScrape(registry, name, async (gauge: Gauge) => {
        const row = await knex(table).count<{ count: string }>("* as count").first();
        gauge.set(Number(row?.count ?? 0));
      }),
    });
  rowCount("outbox_pending_rows", "Outbox rows not yet published.", "outbox");
  rowCount(
    "outbox_quarantined_rows",
    "Outbox rows set aside because they can never be published.",
    "outbox_quarantine",
  );
  new Gauge({
    name: "outbox_relay_active",
    help: "1 when this instance is the database's active relay.",
    registers: [registry],
    collect() {
      this.set(relay.snapshot().active ? 1 : 0);
    },
  });
  const relayLag = new Histogram({
    name: "outbox_relay_lag_seconds",
    help: "Time from an outbox row's insert to the broker's acknowledgement of its record.",
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  relay.onPublished((lagsMs) => {
    for (const ms of lagsMs) relayLag.observe(ms / 1000);
  });
  new Gauge({
    name: "consumer_running",
    help: "1 when the consumer is in its group and consuming.",
    registers: [registry],
    collect() {
      this.set(consumer.isRunning() ? 1 : 0);
    },
  });
  let deadLettersCounted = 0;
  new Counter({
    name: "consumer_dead_letters_total",
    help: "Records this process sent to its dead-letter topic.",
    registers: [registry],
    collect() {
      const sent = consumer.deadLetterCount();
      this.inc(sent - deadLettersCounted);
      deadLettersCounted = sent;
    },
  });
  new Gauge({
    name: "consumer_lag_messages",
    help: "Records on each consumed topic not yet committed by this service's consumer group.",
    labelNames: ["topic"],
    registers: [registry],
    collect: readAtScrape(registry, "consumer_lag_messages", async (gauge: Gauge<"topic">) => {
      const committed = await lag.admin.fetchOffsets({ groupId: lag.groupId, topics: lag.topics });
      const behindBy = new Map<string, number>();
      for (const { topic, partitions } of committed) {
        const ends = await lag.admin.fetchTopicOffsets(topic);
        let behind = 0;
        for (const end of ends) {
          const done = partitions.find((p) => p.partition === end.partition)?.offset ?? "-1";
          behind += Number(end.high) - Number(done === "-1" ? end.low : done);
        }
        behindBy.set(topic, behind);
      }
      gauge.reset();
      for (const [topic, behind] of behindBy) gauge.set({ topic }, behind);
    }),
  });
}
