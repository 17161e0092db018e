import type { TraceContext } from "@fulfillment/contracts";
import { appendToOutbox } from "@fulfillment/outbox";
import type { Logger } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { decide, type Decision } from "../domain/decide.js";
import { deadlineOf, type Deadlines } from "../domain/deadlines.js";
import type { RecordedFact } from "../domain/facts.js";
import { isFinal } from "../domain/saga-state.js";
import { insertFacts, loadFacts, lockSaga, saveProjection } from "../persistence/saga-repository.js";
import { commandMessage, lifecycleMessage } from "./saga-messages.js";
import type { SagaMetrics } from "./saga-metrics.js";

export interface RecordFactsDeps {
  deadlines: Deadlines;
  logger: Logger;
  metrics: SagaMetrics;
  now: () => Date;
}

/**
 * Load → decide → save + outbox, in the caller's transaction: records what the tracker learned
 * about an order, issues the next compensation if one is due, publishes lifecycle events, and
 * updates the query model.
 */
export async function recordFacts(
  trx: Knex.Transaction,
  orderId: string,
  incoming: readonly RecordedFact[],
  deps: RecordFactsDeps,
  cause?: TraceContext,
): Promise<Decision> {
  const now = deps.now();
  const row = await lockSaga(trx, orderId, now);
  const known = await loadFacts(trx, orderId);
  const decision = decide(known, incoming, now.getTime());
  if (decision.added.length === 0) return decision;

  await insertFacts(trx, orderId, decision.added);
  const facts = [...known, ...decision.added];
  const startedAt = Math.min(row.started_at.getTime(), ...facts.map((f) => f.recordedAt));
  const { after } = decision;
  const reason = after.failure?.reason ?? "saga compensation";
  await appendToOutbox(
    trx,
    [
      ...decision.commands.map((c) => commandMessage(orderId, c, reason, now.getTime())),
      ...decision.lifecycle.map((e) => lifecycleMessage(orderId, e, now.getTime(), startedAt)),
    ],
    cause,
  );
  const completedAt = isFinal(after.status) ? (row.completed_at ?? now) : null;
  const deadline = deadlineOf(after, facts, deps.deadlines);
  await saveProjection(
    trx,
    orderId,
    after,
    new Date(startedAt),
    completedAt,
    deadline === null ? null : new Date(deadline),
    now,
  );

  if (decision.before?.status !== after.status) {
    deps.logger.info(
      {
        orderId,
        fromStatus: decision.before?.status ?? "NEW",
        toStatus: after.status,
        step: after.currentStep,
        commands: decision.commands,
      },
      `saga ${orderId}: ${decision.before?.status ?? "NEW"} → ${after.status}`,
    );
  } else if (decision.commands.length > 0) {
    deps.logger.info(
      { orderId, commands: decision.commands },
      `saga ${orderId}: issued ${decision.commands.join(", ")}`,
    );
  }
  const newlyFinal = completedAt !== null && decision.before?.status !== after.status;
  deps.metrics.record(decision, newlyFinal ? (completedAt.getTime() - startedAt) / 1000 : null);
  return decision;
}
