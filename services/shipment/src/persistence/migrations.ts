import { outboxMigrations } from "@fulfillment/outbox";
import type { Knex } from "knex";

export const migrations: Record<string, Knex.Migration> = {
  ...outboxMigrations,
  "001_shipments": {
    async up(knex) {
      await knex.raw(`
        CREATE TABLE serviceable_destinations (code text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());
        -- One row per order: the address (from OrderCreated) and the reservation (from InventoryReserved)
        -- may arrive in either order; the shipment is decided once both are known.
        CREATE TABLE shipments (
          order_id text PRIMARY KEY,
          address jsonb,
          reservation_id text,
          status text NOT NULL,
          shipment_id text UNIQUE,
          tracking_number text,
          carrier text,
          reason text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX shipments_by_status ON shipments (status, created_at);
      `);
    },
    async down(knex) {
      await knex.raw("DROP TABLE shipments, serviceable_destinations");
    },
  },
};
