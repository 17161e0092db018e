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
  // Whose saga it is (from OrderCreated), and the dashboard's sign-in state: sessions, pending
  // OpenID Connect logins and used one-time sign-in tickets.
  "002_saga_access": {
    async up(knex) {
      await knex.raw(`
        ALTER TABLE sagas ADD COLUMN patient_id text;
        CREATE INDEX sagas_by_patient ON sagas (patient_id, started_at DESC, order_id DESC);
        CREATE TABLE dashboard_sessions (
          id_hash text PRIMARY KEY,
          subject text NOT NULL,
          roles text[] NOT NULL,
          patient_id text,
          id_token text,
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL
        );
        CREATE TABLE dashboard_logins (
          state text PRIMARY KEY,
          code_verifier text NOT NULL,
          created_at timestamptz NOT NULL
        );
        CREATE TABLE used_sign_in_tickets (
          jti text PRIMARY KEY,
          used_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL
        );
      `);
    },
    async down(knex) {
      await knex.raw(`
        DROP TABLE used_sign_in_tickets, dashboard_logins, dashboard_sessions;
        DROP INDEX sagas_by_patient;
        ALTER TABLE sagas DROP COLUMN patient_id;
      `);
    },
  },
};
