import type { MessageConsumedBy } from "@fulfillment/contracts";
import { handleOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import { handleOrderCommand, type OrderDeps } from "../application/order-commands.js";

export function orderHandlers(knex: Knex, deps: OrderDeps): MessageHandlers<MessageConsumedBy<"order">> {
  return {
    // Any producer may publish OrderCreated: such an order becomes ours too (our own come back as no-ops).
    OrderCreated: handleOnce(knex, "order", (trx, order, { trace, logger }) => {
      return handleOrderCommand(
        trx,
        order.orderId,
        { type: "PlaceOrder", order, publish: false },
        { ...deps, logger },
        trace,
      );
    }),
    CancelOrder: handleOnce(knex, "order", (trx, command, { trace, logger }) =>
      handleOrderCommand(
        trx,
        command.orderId,
        { type: "CancelOrder", reason: command.reason },
        { ...deps, logger },
        trace,
      ),
    ),
    SagaStateChanged: handleOnce(knex, "order", (trx, event, { logger }) =>
      handleOrderCommand(
        trx,
        event.orderId,
        { type: "RecordSagaStatus", sagaStatus: event.toStatus },
        { ...deps, logger },
      ),
    ),
    SagaCompleted: handleOnce(knex, "order", (trx, event, { logger }) =>
      handleOrderCommand(trx, event.orderId, { type: "MarkFulfilled" }, { ...deps, logger }),
    ),
  };
}
