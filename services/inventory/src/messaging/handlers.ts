import type { MessageConsumedBy } from "@fulfillment/contracts";
import { PermanentError, type MessageHandlers } from "@fulfillment/outbox";
import {
  releaseForOrder,
  reserveForPrescription,
  voidIfUnreserved,
  type InventoryDeps,
} from "../application/reservations.js";

export function inventoryHandlers(deps: InventoryDeps): MessageHandlers<MessageConsumedBy<"inventory">> {
  return {
    PrescriptionCreated: (prescription, { trx, trace, logger }) => {
      if (
        prescription.items.length === 0 ||
        prescription.items.some((i) => !Number.isInteger(i.quantity) || i.quantity < 1)
      ) {
        throw new PermanentError(
          "INVALID_PRESCRIPTION",
          `PrescriptionCreated for ${prescription.orderId} must list items with quantities of at least 1`,
        );
      }
      return reserveForPrescription(trx, prescription, { ...deps, logger }, trace);
    },
    ReleaseInventory: (command, { trx, trace, logger }) =>
      releaseForOrder(trx, command.orderId, command.reason, { ...deps, logger }, trace),
    SagaFailed: (event, { trx, logger }) => voidIfUnreserved(trx, event.orderId, { ...deps, logger }),
  };
}
