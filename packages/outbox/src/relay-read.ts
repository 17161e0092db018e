import type { Knex } from "knex";
import type { OutboxRow } from "./relay-batch.js";

/** What one round trip of the relay learns: the next rows to publish, and whether any wait. */
export interface ReadyRows {
  rows: OutboxRow[];
  /** Committed rows exist that the barrier holds back: a transaction older than them still runs. */
  heldBack: boolean;
}

/**
 * One statement, so one round trip and one commit: deletes the rows of the batch just published
 * and reads the next batch. The SELECT sees the statement's snapshot, taken before the DELETE ran,
 * so it leaves out the deleted ids itself; a row is never read again once it is published.
 *
 * The barrier: rows written by transactions older than every transaction still running in this
 * database, so nothing can still commit before them (ids are not in commit order).
 * `pg_snapshot_xmin` alone is cluster-wide, and would let a slow transaction in another service's
 * database (on the same server) hold back this relay; so the running transactions that hold their
 * xid in another database are left out. One that ends while this runs still counts (it is held by
 * nobody), which only waits a little longer.
 *
 * The result always has the one `held` row, joined to the ready rows if there are any (then `id`
 * is null), so an empty batch still says whether rows wait.
 */
const DELETE_AND_READ = `
  WITH done AS (
    DELETE FROM outbox WHERE id = ANY(CAST(:done AS bigint[]))
  ), elsewhere AS (
    SELECT l.transactionid::text::bigint AS xid
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
       AND a.datname IS DISTINCT FROM current_database()
  ), barrier AS (
    SELECT coalesce(
             (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
               WHERE x::text::bigint % 4294967296 NOT IN (SELECT xid FROM elsewhere)),
             pg_snapshot_xmax(pg_current_snapshot())) AS txid
  ), ready AS (
    SELECT id, event_id, topic, message_key, message_type, payload, headers, created_at
      FROM outbox
     WHERE txid < (SELECT txid FROM barrier) AND id <> ALL(CAST(:done AS bigint[]))
     ORDER BY id LIMIT :limit
  ), held AS (
    SELECT EXISTS (SELECT 1 FROM outbox WHERE txid >= (SELECT txid FROM barrier)) AS held_back
  )
  SELECT ready.*, held.held_back FROM held LEFT JOIN ready ON true ORDER BY ready.id`;

type ReadyRow = (OutboxRow | { [K in keyof OutboxRow]: null }) & { held_back: boolean };

/** Deletes `done` (ids already published or quarantined) and reads up to `limit` ready rows. */
export async function deleteAndReadReady(
  knex: Knex,
  done: readonly string[],
  limit: number,
): Promise<ReadyRows> {
  // A pg array literal: knex would spread a JS array into a list of parameters.
  const ids = `{${done.join(",")}}`;
  const { rows }: { rows: ReadyRow[] } = await knex.raw(DELETE_AND_READ, { done: ids, limit });
  return {
    rows: rows.filter((row): row is OutboxRow & { held_back: boolean } => row.id !== null).map(withoutFlag),
    heldBack: rows[0]?.held_back ?? false,
  };
}

function withoutFlag({ held_back: _held, ...row }: OutboxRow & { held_back: boolean }): OutboxRow {
  return row;
}
