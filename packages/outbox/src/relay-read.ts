import type { Knex } from "knex";
import type { OutboxRow } from "./relay-batch.js";

/**
 * One statement, so one round trip and one commit: deletes the rows of the batch just published
 * and reads the next batch of committed rows in id order. The SELECT sees the statement's
 * snapshot, taken before the DELETE ran, so it leaves out the deleted ids itself; a row is never
 * read again once it is published.
 *
 * No barrier waits for running transactions: a key's rows are written under the key's lock
 * (appendToOutbox), so they commit in id order, and a row that commits late is read by the next
 * statement (nothing is skipped: published rows are deleted, not passed by a cursor). An open
 * transaction, in this database or another, holds back nothing but its own rows.
 */
const DELETE_AND_READ = `
  WITH done AS (
    DELETE FROM outbox WHERE id = ANY(CAST(:done AS bigint[]))
  )
  SELECT id, event_id, topic, message_key, message_type, payload, headers, created_at
    FROM outbox
   WHERE id <> ALL(CAST(:done AS bigint[]))
   ORDER BY id LIMIT :limit`;

/** Deletes `done` (ids already published or quarantined) and reads up to `limit` committed rows. */
export async function deleteAndReadReady(
  knex: Knex,
  done: readonly string[],
  limit: number,
): Promise<OutboxRow[]> {
  // A pg array literal: knex would spread a JS array into a list of parameters.
  const ids = `{${done.join(",")}}`;
  const { rows }: { rows: OutboxRow[] } = await knex.raw(DELETE_AND_READ, { done: ids, limit });
  return rows;
}
