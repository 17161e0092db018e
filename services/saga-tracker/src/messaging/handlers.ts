import type { MessageConsumedBy } from "@fulfillment/contracts";
import { bindHandler, type MessageHandlers } from "@fulfillment/outbox";
import { recordFacts, type RecordFactsDeps } from "../application/record-facts.js";
import type { RecordedFact } from "../domain/facts.js";
import { listeners, type SagaEvent } from "../domain/saga-events.js";
import { recordSagaPatient } from "../persistence/saga-repository.js";

/** Every event of the saga's definition is on a topic the tracker consumes (contracts' serviceTopics), or this does not compile. */
const consumesEverySagaEvent: SagaEvent extends MessageConsumedBy<"saga-tracker"> ? true : never = true;

/**
 * One handler per event of the saga's definition: the event becomes a fact, recorded once (inbox)
 * with its effects; the facts of one saga in a batch are recorded together at its end.
 */
export function trackerHandlers(deps: RecordFactsDeps): MessageHandlers<SagaEvent> {
  void consumesEverySagaEvent;
  const handlers: MessageHandlers<SagaEvent> = {};
  for (const listener of listeners) {
    bindHandler(handlers, listener.event, (value, { trx, logger, trace, batch }) => {
      const { fact, message, patientId } = listener.learn(value);
      // A saga's facts of one batch are decided on and written together, once, in the first one's trace.
      const saga = batch.gather(
        `saga:${value.orderId}`,
        (): { facts: RecordedFact[]; patientId?: string } => ({ facts: [] }),
        async ({ facts, patientId: patient }) => {
          await recordFacts(trx, value.orderId, facts, { ...deps, logger }, trace);
          if (patient) await recordSagaPatient(trx, value.orderId, patient);
        },
      );
      saga.facts.push({ ...fact, message, recordedAt: deps.now().getTime() });
      if (patientId) saga.patientId = patientId;
      return Promise.resolve();
    });
  }
  return handlers;
}
