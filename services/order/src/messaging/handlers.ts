import { orderCreatedProblems } from "@fulfillment/contracts";
import { PermanentError, processOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import { handleOrderCommand, type OrderDeps } from "../application/order-commands.js";

const CONSUMER = "order";

export function orderHandlers(knex: Knex, deps: OrderDeps): MessageHandlers {
  return {
    // Any producer may publish OrderCreated: such an order becomes ours too (our own come back as no-ops).
    OrderCreated: async (order, { trace, logger }) => {
      const problems = orderCreatedProblems(order);
      if (problems.length > 0)
        throw new PermanentError(
          "INVALID_ORDER",
          `OrderCreated ${order.orderId} is invalid: ${problems.join("; ")}`,
        );
      await processOnce(knex, CONSUMER, order.eventId, (trx) =>
        handleOrderCommand(
          trx,
          order.orderId,
          { type: "PlaceOrder", order, publish: false },
          { ...deps, logger },
          trace,
        ).then(() => undefined),
      );
    },
    CancelOrder: async (command, { trace, logger }) => {
      await processOnce(knex, CONSUMER, command.eventId, (trx) =>
        handleOrderCommand(
          trx,
          command.orderId,
          { type: "CancelOrder", reason: command.reason },
          { ...deps, logger },
          trace,
        ).then(() => undefined),
      );
    },
    SagaStateChanged: async (event, { logger }) => {
      await processOnce(knex, CONSUMER, event.eventId, (trx) =>
        handleOrderCommand(
          trx,
          event.orderId,
          { type: "RecordSagaStatus", sagaStatus: event.toStatus },
          { ...deps, logger },
        ).then(() => undefined),
      );
    },
    SagaCompleted: async (event, { logger }) => {
      await processOnce(knex, CONSUMER, event.eventId, (trx) =>
        handleOrderCommand(trx, event.orderId, { type: "MarkFulfilled" }, { ...deps, logger }).then(
          () => undefined,
        ),
      );
    },
  };
}
