import type { TraceContext } from "@fulfillment/contracts";
import type { Knex } from "knex";
import type { Logger } from "pino";
import { appendToOutbox, lockOrderId, type OutgoingMessage } from "./writer.js";

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
 * Lock → verdict → save → outbox, in the caller's transaction. `decision.lock` must serialise
 * deliveries of the same order: a row it creates first, or lockOrderId when there may be none yet.
 */
export async function decideForOrder<Current, Verdict>(
  trx: Knex.Transaction,
  orderId: string,
  decision: OrderDecision<Current, Verdict>,
  cause: TraceContext,
): Promise<Verdict> {
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

/** A participant's step, asked for once per order; its row holds a status, VOIDED for the tombstone. */
export interface StepRequest<Current extends { status: string }, Verdict> {
  /** The step's name in log lines, e.g. "prescription". */
  step: string;
  lock(trx: Knex.Transaction): Promise<Current | null>;
  /** The step's failure event, saying the order was already cancelled (reason ORDER_ALREADY_CANCELLED). */
  refusal(): OutgoingMessage;
  /** The verdict for a first request, from the domain's pure rule. */
  decide(trx: Knex.Transaction): Verdict | Promise<Verdict>;
  /** Saves a first request's verdict and returns the events that announce it. */
  save(trx: Knex.Transaction, verdict: Verdict): Promise<readonly OutgoingMessage[]>;
}

type StepOutcome<Verdict> =
  { kind: "decided"; status: string } | { kind: "cancelled" } | { kind: "first"; verdict: Verdict };

/**
 * A step request answered once per order, by the one tombstone rule: after the order's tombstone
 * the step's failure is published (nothing saved), after its decision nothing is, and otherwise
 * the step decides. Returns the verdict of a first request, null otherwise.
 */
export async function answerStepRequest<Current extends { status: string }, Verdict>(
  trx: Knex.Transaction,
  orderId: string,
  request: StepRequest<Current, Verdict>,
  logger: Logger,
  cause: TraceContext,
): Promise<Verdict | null> {
  const outcome = await decideForOrder<Current | null, StepOutcome<Verdict>>(
    trx,
    orderId,
    {
      // The step's row does not exist before its first request: the order's lock comes first.
      lock: async (t) => {
        await lockOrderId(t, orderId);
        return request.lock(t);
      },
      decide: async (existing, t) => {
        if (existing?.status === "VOIDED") return { kind: "cancelled" };
        if (existing) return { kind: "decided", status: existing.status };
        return { kind: "first", verdict: await request.decide(t) };
      },
      save: async (t, decided) => {
        if (decided.kind === "first") return request.save(t, decided.verdict);
        if (decided.kind === "cancelled") {
          logger.info({ orderId }, `${request.step} for ${orderId} refused: order already cancelled`);
          return [request.refusal()];
        }
        logger.info(
          { orderId, status: decided.status },
          `${request.step} for ${orderId} already decided (${decided.status})`,
        );
        return [];
      },
    },
    cause,
  );
  return outcome.kind === "first" ? outcome.verdict : null;
}
