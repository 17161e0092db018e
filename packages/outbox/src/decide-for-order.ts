import type { TraceContext } from "@fulfillment/contracts";
import type { Knex } from "knex";
import { appendToOutbox, type OutgoingMessage } from "./writer.js";

/**
 * One participant's decision about one order, in the three parts every step shares. Kept as data
 * so the transaction skeleton (lock, verdict, save, outbox) is written once for every service.
 */
export interface OrderDecision<Current, Verdict> {
  /** Claims the order's row FOR UPDATE and returns what is already recorded (or null). */
  lock(trx: Knex.Transaction): Promise<Current>;
  /** The verdict, from a pure rule; may read what the rule needs inside the same transaction. */
  decide(current: Current, trx: Knex.Transaction): Verdict | Promise<Verdict>;
  /** Saves the verdict and returns the messages that announce it (none when nothing changed). */
  save(trx: Knex.Transaction, verdict: Verdict): Promise<readonly OutgoingMessage[]>;
}

/**
 * Lock → verdict → save → outbox, in the caller's transaction. The advisory lock on the order id
 * serialises deliveries of the same order even before its row exists (a row lock cannot).
 */
export async function decideForOrder<Current, Verdict>(
  trx: Knex.Transaction,
  orderId: string,
  decision: OrderDecision<Current, Verdict>,
  cause: TraceContext,
): Promise<Verdict> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [orderId]);
  const current = await decision.lock(trx);
  const verdict = await decision.decide(current, trx);
  await appendToOutbox(trx, await decision.save(trx, verdict), cause);
  return verdict;
}

/**
 * The one tombstone rule: a step request that arrives after the order was cancelled is answered
 * with that step's failure carrying this reason, so the tracker always hears an answer.
 */
export const ORDER_ALREADY_CANCELLED = "the order was already cancelled by the saga; nothing done";
