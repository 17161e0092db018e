import type { MessageConsumedBy } from "@fulfillment/contracts";
import type { MessageHandlers } from "@fulfillment/outbox";
import { cancelIfUndecided, recordShipmentInput, type ShipmentDeps } from "../application/shipments.js";

export function shipmentHandlers(deps: ShipmentDeps): MessageHandlers<MessageConsumedBy<"shipment">> {
  return {
    OrderCreated: (order, { trx, trace, logger }) => {
      return recordShipmentInput(
        trx,
        order.orderId,
        { address: order.shippingAddress, patientId: order.patientId },
        { ...deps, logger },
        trace,
      );
    },
    InventoryReserved: (reservation, { trx, trace, logger }) =>
      recordShipmentInput(
        trx,
        reservation.orderId,
        { reservationId: reservation.reservationId },
        { ...deps, logger },
        trace,
      ),
    SagaFailed: (event, { trx, logger }) =>
      cancelIfUndecided(trx, event.orderId, `saga failed: ${event.reason}`, { ...deps, logger }),
  };
}
