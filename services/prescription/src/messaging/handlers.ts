import type { MessageConsumedBy } from "@fulfillment/contracts";
import type { MessageHandlers } from "@fulfillment/outbox";
import { cancel, prescribe, type PrescriptionDeps } from "../application/prescribe.js";

export function prescriptionHandlers(
  deps: PrescriptionDeps,
): MessageHandlers<MessageConsumedBy<"prescription">> {
  return {
    OrderCreated: (order, { trx, trace, logger }) => {
      return prescribe(trx, order, { ...deps, logger }, trace);
    },
    CancelPrescription: (command, { trx, trace, logger }) =>
      cancel(trx, command.orderId, command.reason, { ...deps, logger }, trace),
  };
}
