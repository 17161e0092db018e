import type { MessageConsumedBy } from "@fulfillment/contracts";
import { bindHandler, type MessageHandlers } from "@fulfillment/outbox";
import { recordFacts, type RecordFactsDeps } from "../application/record-facts.js";
import { listeners, type SagaEvent } from "../domain/saga-events.js";
import { recordSagaPatient } from "../persistence/saga-repository.js";

/** Every event of the saga's definition is on a topic the tracker consumes (contracts' serviceTopics), or this does not compile. */
const consumesEverySagaEvent: SagaEvent extends MessageConsumedBy<"saga-tracker"> ? true : never = true;

/** One handler per event of the saga's definition: the event becomes a fact, recorded once (inbox) with its effects. */
export function trackerHandlers(deps: RecordFactsDeps): MessageHandlers<SagaEvent> {
  void consumesEverySagaEvent;
  const handlers: MessageHandlers<SagaEvent> = {};
  for (const listener of listeners) {
    bindHandler(handlers, listener.event, async (value, { trx, logger, trace }) => {
      const { fact, message, patientId } = listener.learn(value);
      const recorded = { ...fact, message, recordedAt: deps.now().getTime() };
      await recordFacts(trx, value.orderId, [recorded], { ...deps, logger }, trace);
      if (patientId) await recordSagaPatient(trx, value.orderId, patientId);
    });
  }
  return handlers;
}
