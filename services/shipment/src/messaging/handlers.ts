import { orderCreatedProblems } from "@fulfillment/contracts";
import { PermanentError, processOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import { cancelIfUndecided, recordShipmentInput, type ShipmentDeps } from "../application/shipments.js";

const CONSUMER = "shipment";

export function shipmentHandlers(knex: Knex, deps: ShipmentDeps): MessageHandlers {
  return {
    OrderCreated: async (order, { trace, logger }) => {
      const problems = orderCreatedProblems(order);
      if (problems.length > 0)
        throw new PermanentError(
          "INVALID_ORDER",
          `OrderCreated ${order.orderId} is invalid: ${problems.join("; ")}`,
        );
      await processOnce(knex, CONSUMER, order.eventId, (trx) =>
        recordShipmentInput(
          trx,
          order.orderId,
          { address: order.shippingAddress },
          { ...deps, logger },
          trace,
        ),
      );
    },
    SagaFailed: async (event, { logger }) => {
      await processOnce(knex, CONSUMER, event.eventId, (trx) =>
        cancelIfUndecided(trx, event.orderId, `saga failed: ${event.reason}`, { ...deps, logger }),
      );
    },
    InventoryReserved: async (reservation, { trace, logger }) => {
      await processOnce(knex, CONSUMER, reservation.eventId, (trx) =>
        recordShipmentInput(
          trx,
          reservation.orderId,
          { reservationId: reservation.reservationId },
          { ...deps, logger },
          trace,
        ),
      );
    },
  };
}
