import type { Worker } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { deadlineOf, expiredFact } from "../domain/deadlines.js";
import { sagaStateFromFacts } from "../domain/saga-state.js";
import { loadFacts, lockDueSagas } from "../persistence/saga-repository.js";
import { recordFacts, type RecordFactsDeps } from "./record-facts.js";

/**
 * Turns a step (or compensation) past its deadline into a fact, which the decider treats as a
 * failure: compensation follows. Safe with several tracker instances: each due saga is locked
 * by one scanner (SKIP LOCKED).
 */
export function deadlineScanner(knex: Knex, deps: RecordFactsDeps, intervalMs: number): Worker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const scan = async () => {
    const now = deps.now();
    await knex.transaction(async (trx) => {
      for (const orderId of await lockDueSagas(trx, now, 100)) {
        const facts = await loadFacts(trx, orderId);
        const state = sagaStateFromFacts(facts);
        const due = deadlineOf(state, facts, deps.deadlines);
        const fact = due !== null && due <= now.getTime() ? expiredFact(state) : null;
        if (!fact) continue;
        const what = fact.kind === "StepTimedOut" ? `${fact.step} step` : `${fact.compensation} compensation`;
        deps.logger.warn({ orderId, fact }, `saga ${orderId}: ${what} passed its deadline`);
        await recordFacts(
          trx,
          orderId,
          [{ ...fact, recordedAt: now.getTime(), message: `${what} passed its deadline` }],
          deps,
        );
      }
    });
  };
  const loop = () => {
    if (stopped) return;
    running = scan()
      .catch((error: unknown) =>
        deps.logger.error({ err: error }, "deadline scan failed; retrying on the next tick"),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };

  return {
    name: "deadline scanner",
    start: () => {
      loop();
      return Promise.resolve();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
