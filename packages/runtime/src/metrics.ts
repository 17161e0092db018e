import type { ConsumerRunner, OutboxRelay } from "@fulfillment/outbox";
import type { Knex } from "knex";
import { Gauge, type Registry } from "prom-client";

/** Outbox lag, relay and consumer state, read when Prometheus scrapes. */
export function messagingMetrics(
  registry: Registry,
  knex: Knex,
  relay: OutboxRelay,
  consumer: ConsumerRunner,
): void {
  new Gauge({
    name: "outbox_lag_seconds",
    help: "Age of the oldest unpublished outbox row (0 when empty).",
    registers: [registry],
    async collect() {
      const row = await knex("outbox").min<{ oldest: Date | null }>("created_at as oldest").first();
      this.set(row?.oldest ? (Date.now() - new Date(row.oldest).getTime()) / 1000 : 0);
    },
  });
  new Gauge({
    name: "outbox_pending_rows",
    help: "Outbox rows not yet published.",
    registers: [registry],
    async collect() {
      const row = await knex("outbox").count<{ count: string }>("* as count").first();
      this.set(Number(row?.count ?? 0));
    },
  });
  new Gauge({
    name: "outbox_quarantined_rows",
    help: "Outbox rows set aside because they can never be published.",
    registers: [registry],
    async collect() {
      const row = await knex("outbox_quarantine").count<{ count: string }>("* as count").first();
      this.set(Number(row?.count ?? 0));
    },
  });
  new Gauge({
    name: "outbox_relay_active",
    help: "1 when this instance is the database's active relay.",
    registers: [registry],
    collect() {
      this.set(relay.snapshot().active ? 1 : 0);
    },
  });
  new Gauge({
    name: "consumer_running",
    help: "1 when the consumer is in its group and consuming.",
    registers: [registry],
    collect() {
      this.set(consumer.isRunning() ? 1 : 0);
    },
  });
}
