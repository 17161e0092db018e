import type { Knex } from "knex";

/** The notification channel a commit of outbox rows wakes the relay on. */
export const OUTBOX_CHANNEL = "outbox_committed";

/**
 * The outbox, quarantine and inbox tables, as knex migrations a service lists with its own.
 */
export const outboxMigrations: Record<string, Knex.Migration> = {
  "000_outbox_inbox": {
    async up(knex) {
      await knex.raw(`
        CREATE TABLE outbox (
          id bigserial PRIMARY KEY,
          txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
          event_id uuid NOT NULL UNIQUE,
          topic text NOT NULL,
          message_key text NOT NULL,
          message_type text NOT NULL,
          payload jsonb NOT NULL,
          headers jsonb NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE outbox_quarantine (
          id bigint PRIMARY KEY,
          event_id uuid NOT NULL,
          topic text NOT NULL,
          message_key text NOT NULL,
          message_type text NOT NULL,
          payload jsonb NOT NULL,
          headers jsonb NOT NULL,
          created_at timestamptz NOT NULL,
          quarantined_at timestamptz NOT NULL DEFAULT now(),
          error text NOT NULL
        );
        CREATE TABLE inbox (
          consumer text NOT NULL,
          event_id text NOT NULL,
          processed_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer, event_id)
        );
        CREATE FUNCTION notify_outbox_committed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('${OUTBOX_CHANNEL}', '');
          RETURN NULL;
        END $$;
        CREATE TRIGGER outbox_committed AFTER INSERT ON outbox
          FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox_committed();
      `);
    },
    async down(knex) {
      await knex.raw(`
        DROP TABLE IF EXISTS outbox, outbox_quarantine, inbox;
        DROP FUNCTION IF EXISTS notify_outbox_committed();
      `);
    },
  },
  // Named to sort right after the migration that creates the table and before a service's own.
  // now() is the writing transaction's start: the relay lag it measures would count the
  // transaction's work before the insert too; clock_timestamp() is the insert's own time.
  "000_outbox_inbox_created_at_clock": {
    async up(knex) {
      await knex.raw("ALTER TABLE outbox ALTER COLUMN created_at SET DEFAULT clock_timestamp()");
    },
    async down(knex) {
      await knex.raw("ALTER TABLE outbox ALTER COLUMN created_at SET DEFAULT now()");
    },
  },
  // The relay no longer waits for older transactions by their ids: a key's rows are written under
  // the key's lock (appendToOutbox), so they commit in id order.
  "000_outbox_inbox_drop_txid": {
    async up(knex) {
      await knex.raw("ALTER TABLE outbox DROP COLUMN txid");
    },
    async down(knex) {
      await knex.raw("ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()");
    },
  },
};

/** A knex migration source over named migration lists, applied in name order. */
export function migrationSource(
  ...lists: Array<Record<string, Knex.Migration>>
): Knex.MigrationSource<string> {
  const all: Record<string, Knex.Migration> = Object.assign({}, ...lists) as Record<string, Knex.Migration>;
  return {
    getMigrations: () => Promise.resolve(Object.keys(all).sort()),
    getMigrationName: (name) => name,
    getMigration: (name) => {
      const migration = all[name];
      if (!migration) throw new Error(`Unknown migration ${name}`);
      return Promise.resolve(migration);
    },
  };
}
