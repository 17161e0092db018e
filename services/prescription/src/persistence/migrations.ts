import { outboxMigrations } from "@fulfillment/outbox";
import type { Knex } from "knex";

export const migrations: Record<string, Knex.Migration> = {
  ...outboxMigrations,
  "001_prescriptions": {
    async up(knex) {
      await knex.raw(`
        CREATE TABLE formulary (
          sku text PRIMARY KEY,
          name text NOT NULL,
          prescription_only boolean NOT NULL,
          max_quantity integer NOT NULL CHECK (max_quantity > 0),
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE prescriptions (
          order_id text PRIMARY KEY,
          prescription_id text UNIQUE,
          patient_id text,
          prescriber_id text,
          status text NOT NULL,
          items jsonb NOT NULL,
          reason text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
      `);
    },
    async down(knex) {
      await knex.raw("DROP TABLE prescriptions, formulary");
    },
  },
  "002_prescription_lists": {
    async up(knex) {
      await knex.raw(`
        CREATE INDEX prescriptions_by_time ON prescriptions (created_at DESC, order_id DESC);
        CREATE INDEX prescriptions_by_patient ON prescriptions (patient_id, created_at DESC, order_id DESC);
      `);
    },
    async down(knex) {
      await knex.raw("DROP INDEX prescriptions_by_patient; DROP INDEX prescriptions_by_time");
    },
  },
};
