import { outboxMigrations } from "@fulfillment/outbox";
import type { Knex } from "knex";

export const migrations: Record<string, Knex.Migration> = {
  ...outboxMigrations,
  "001_orders": {
    async up(knex) {
      await knex.raw(`
        CREATE TABLE orders (
          order_id text PRIMARY KEY,
          status text NOT NULL,
          patient_id text,
          details jsonb,
          saga_status text,
          cancel_reason text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX orders_by_patient ON orders (patient_id, created_at DESC, order_id DESC);
        CREATE TABLE idempotency_keys (
          key text PRIMARY KEY,
          request_hash text NOT NULL,
          order_id text NOT NULL,
          created_at timestamptz NOT NULL
        );
      `);
    },
    async down(knex) {
      await knex.raw("DROP TABLE idempotency_keys, orders");
    },
  },
};
