import type { MessageConsumedBy } from "@fulfillment/contracts";
import { handleOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import { cancelIfUndecided, recordShipmentInput, type ShipmentDeps } from "../application/shipments.js";

export function shipmentHandlers(
  knex: Knex,
  deps: ShipmentDeps,
): MessageHandlers<MessageConsumedBy<"shipment">> {
  return {
    OrderCreated: handleOnce(knex, "shipment", (trx, order, { trace, logger }) => {
      return recordShipmentInput(
        trx,
        order.orderId,
        { address: order.shippingAddress, patientId: order.patientId },
        { ...deps, logger },
        trace,
      );
    }),
    InventoryReserved: handleOnce(knex, "shipment", (trx, reservation, { trace, logger }) =>
      recordShipmentInput(
        trx,
        reservation.orderId,
        { reservationId: reservation.reservationId },
        { ...deps, logger },
        trace,
      ),
    ),
    SagaFailed: handleOnce(knex, "shipment", (trx, event, { logger }) =>
      cancelIfUndecided(trx, event.orderId, `saga failed: ${event.reason}`, { ...deps, logger }),
    ),
  };
}
