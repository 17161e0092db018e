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
  // Whose shipment it is (from OrderCreated), so a patient sees only their own.
  "002_shipment_patient": {
    async up(knex) {
      await knex.raw(`
        ALTER TABLE shipments ADD COLUMN patient_id text;
        CREATE INDEX shipments_by_patient ON shipments (patient_id, created_at DESC, order_id DESC);
        CREATE INDEX shipments_by_time ON shipments (created_at DESC, order_id DESC);
      `);
    },
    async down(knex) {
      await knex.raw(
        "DROP INDEX shipments_by_time; DROP INDEX shipments_by_patient; ALTER TABLE shipments DROP COLUMN patient_id",
      );
    },
  },
};
