import type { Knex } from "knex";

/** A record's effects, to run once per consumer and event id. */
export interface InboxDelivery {
  eventId: string;
  run: (trx: Knex.Transaction) => Promise<void>;
}

/**
 * Effectively-once effects over at-least-once delivery: the deliveries' work and their inbox rows
 * (consumer, eventId) commit in one transaction. One multi-row insert claims every event id at
 * once; the ones already there (a redelivery) are not run again, nor is a second delivery of the
 * same event id in the list. The work runs in the order given, then `finish`.
 *
 * @returns the event ids whose work ran.
 */
export async function processOnce(
  knex: Knex,
  consumer: string,
  deliveries: readonly InboxDelivery[],
  /** Runs after the deliveries, in their transaction (a batch's gathered writes). */
  finish?: (trx: Knex.Transaction) => Promise<void>,
): Promise<string[]> {
  if (deliveries.length === 0) return [];
  return knex.transaction(async (trx) => {
    const eventIds = [...new Set(deliveries.map((d) => d.eventId))];
    const claimed = await trx("inbox")
      .insert(eventIds.map((eventId) => ({ consumer, event_id: eventId })))
      .onConflict(["consumer", "event_id"])
      .ignore()
      .returning<Array<{ event_id: string }>>("event_id");
    const fresh = new Set(claimed.map((row) => row.event_id));
    const ran: string[] = [];
    for (const delivery of deliveries) {
      if (!fresh.delete(delivery.eventId)) continue;
      await delivery.run(trx);
      ran.push(delivery.eventId);
    }
    await finish?.(trx);
    return ran;
  });
}
