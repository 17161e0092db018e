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
  // Who placed each order (the ordering client reads back only its own), and idempotency keys
  // scoped to their caller: the same key from two clients is two requests, never a shared answer.
  "002_order_ownership": {
    async up(knex) {
      await knex.raw(`
        ALTER TABLE orders ADD COLUMN placed_by text;
        CREATE INDEX orders_by_client ON orders (placed_by, created_at DESC, order_id DESC);
        CREATE INDEX orders_by_time ON orders (created_at DESC, order_id DESC);
        ALTER TABLE idempotency_keys ADD COLUMN owner text NOT NULL DEFAULT '';
        ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
        ALTER TABLE idempotency_keys ADD PRIMARY KEY (owner, key);
      `);
    },
    async down(knex) {
      await knex.raw(`
        DELETE FROM idempotency_keys WHERE owner <> '';
        ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
        ALTER TABLE idempotency_keys DROP COLUMN owner;
        ALTER TABLE idempotency_keys ADD PRIMARY KEY (key);
        DROP INDEX orders_by_time;
        DROP INDEX orders_by_client;
        ALTER TABLE orders DROP COLUMN placed_by;
      `);
    },
  },
};
