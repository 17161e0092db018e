import { outboxMigrations } from "@fulfillment/outbox";
import type { Knex } from "knex";

export const migrations: Record<string, Knex.Migration> = {
  ...outboxMigrations,
  "001_sagas": {
    async up(knex) {
      await knex.raw(`
        CREATE TABLE sagas (
          order_id text PRIMARY KEY,
          status text NOT NULL,
          current_step text,
          failure_reason text,
          started_at timestamptz NOT NULL,
          completed_at timestamptz,
          deadline_at timestamptz,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX sagas_by_status ON sagas (status, started_at, order_id);
        CREATE INDEX sagas_by_start ON sagas (started_at, order_id);
        CREATE INDEX sagas_due ON sagas (deadline_at) WHERE deadline_at IS NOT NULL;
        CREATE TABLE saga_facts (
          order_id text NOT NULL,
          fact_key text NOT NULL,
          fact jsonb NOT NULL,
          message text NOT NULL,
          recorded_at timestamptz NOT NULL,
          PRIMARY KEY (order_id, fact_key)
        );
      `);
    },
    async down(knex) {
      await knex.raw("DROP TABLE saga_facts, sagas");
    },
  },
};
