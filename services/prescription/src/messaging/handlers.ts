import { orderCreatedProblems } from "@fulfillment/contracts";
import { PermanentError, processOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import { cancel, prescribe, type PrescriptionDeps } from "../application/prescribe.js";

const CONSUMER = "prescription";

export function prescriptionHandlers(knex: Knex, deps: PrescriptionDeps): MessageHandlers {
  return {
    OrderCreated: async (order, { trace, logger }) => {
      const problems = orderCreatedProblems(order);
      if (problems.length > 0)
        throw new PermanentError(
          "INVALID_ORDER",
          `OrderCreated ${order.orderId} is invalid: ${problems.join("; ")}`,
        );
      await processOnce(knex, CONSUMER, order.eventId, (trx) =>
        prescribe(trx, order, { ...deps, logger }, trace),
      );
    },
    CancelPrescription: async (command, { trace, logger }) => {
      await processOnce(knex, CONSUMER, command.eventId, (trx) =>
        cancel(trx, command.orderId, command.reason, { ...deps, logger }, trace),
      );
    },
  };
}
