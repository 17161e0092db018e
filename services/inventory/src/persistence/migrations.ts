import { outboxMigrations } from "@fulfillment/outbox";
import type { Knex } from "knex";

export const migrations: Record<string, Knex.Migration> = {
  ...outboxMigrations,
  "001_stock": {
    async up(knex) {
      await knex.raw(`
        CREATE TABLE stock (
          sku text PRIMARY KEY,
          on_hand integer NOT NULL CHECK (on_hand >= 0),
          reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
          updated_at timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT no_oversell CHECK (reserved <= on_hand)
        );
        CREATE TABLE reservations (
          order_id text PRIMARY KEY,
          reservation_id text UNIQUE,
          status text NOT NULL,
          lines jsonb NOT NULL,
          reason text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
      `);
    },
    async down(knex) {
      await knex.raw("DROP TABLE reservations, stock");
    },
  },
};
