import type { MessageConsumedBy } from "@fulfillment/contracts";
import type { MessageHandlers } from "@fulfillment/outbox";
import { handleOrderCommand, type OrderDeps } from "../application/order-commands.js";

export function orderHandlers(deps: OrderDeps): MessageHandlers<MessageConsumedBy<"order">> {
  return {
    // Any producer may publish OrderCreated: such an order becomes ours too (our own come back as no-ops).
    OrderCreated: (order, { trx, trace, logger }) => {
      return handleOrderCommand(
        trx,
        order.orderId,
        { type: "PlaceOrder", order, publish: false },
        { ...deps, logger },
        trace,
      );
    },
    CancelOrder: (command, { trx, trace, logger }) =>
      handleOrderCommand(
        trx,
        command.orderId,
        { type: "CancelOrder", reason: command.reason },
        { ...deps, logger },
        trace,
      ),
    // Only an order's last saga status in a batch is worth writing: one write per order per batch.
    SagaStateChanged: (event, { trx, logger, batch }) => {
      const latest = batch.gather(
        `saga-status:${event.orderId}`,
        () => ({ sagaStatus: event.toStatus }),
        ({ sagaStatus }) =>
          handleOrderCommand(
            trx,
            event.orderId,
            { type: "RecordSagaStatus", sagaStatus },
            { ...deps, logger },
          ),
      );
      latest.sagaStatus = event.toStatus;
      return Promise.resolve();
    },
    SagaCompleted: (event, { trx, logger }) =>
      handleOrderCommand(trx, event.orderId, { type: "MarkFulfilled" }, { ...deps, logger }),
  };
}
