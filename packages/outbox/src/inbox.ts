import type { Knex } from "knex";

/**
 * Effectively-once effects over at-least-once delivery: the handler's work and the inbox row
 * (consumer, eventId) commit in one transaction; a redelivered record finds the row and does nothing.
 *
 * @returns "processed" when the work ran, "duplicate" when this consumer had already processed the record.
 */
export async function processOnce(
  knex: Knex,
  consumer: string,
  eventId: string,
  work: (trx: Knex.Transaction) => Promise<void>,
): Promise<"processed" | "duplicate"> {
  return knex.transaction(async (trx) => {
    const claimed = await trx("inbox")
      .insert({ consumer, event_id: eventId })
      .onConflict(["consumer", "event_id"])
      .ignore()
      .returning("event_id");
    if (claimed.length === 0) return "duplicate";
    await work(trx);
    return "processed";
  });
}

/**
 * A message handler whose effects happen once per event: `work` runs inside the inbox
 * transaction of `consumer` for the record's eventId, and a redelivery does nothing.
 */
export function handleOnce<V extends { eventId: string }, C>(
  knex: Knex,
  consumer: string,
  work: (trx: Knex.Transaction, value: V, context: C) => Promise<unknown>,
): (value: V, context: C) => Promise<void> {
  return async (value, context) => {
    await processOnce(knex, consumer, value.eventId, async (trx) => {
      await work(trx, value, context);
    });
  };
}
