import type { MessageConsumedBy } from "@fulfillment/contracts";
import { handleOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import { cancel, prescribe, type PrescriptionDeps } from "../application/prescribe.js";

export function prescriptionHandlers(
  knex: Knex,
  deps: PrescriptionDeps,
): MessageHandlers<MessageConsumedBy<"prescription">> {
  return {
    OrderCreated: handleOnce(knex, "prescription", (trx, order, { trace, logger }) => {
      return prescribe(trx, order, { ...deps, logger }, trace);
    }),
    CancelPrescription: handleOnce(knex, "prescription", (trx, command, { trace, logger }) =>
      cancel(trx, command.orderId, command.reason, { ...deps, logger }, trace),
    ),
  };
}
