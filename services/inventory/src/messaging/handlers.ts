import type { MessageConsumedBy } from "@fulfillment/contracts";
import { PermanentError, handleOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import {
  releaseForOrder,
  reserveForPrescription,
  voidIfUnreserved,
  type InventoryDeps,
} from "../application/reservations.js";

export function inventoryHandlers(
  knex: Knex,
  deps: InventoryDeps,
): MessageHandlers<MessageConsumedBy<"inventory">> {
  return {
    PrescriptionCreated: handleOnce(knex, "inventory", (trx, prescription, { trace, logger }) => {
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
    }),
    ReleaseInventory: handleOnce(knex, "inventory", (trx, command, { trace, logger }) =>
      releaseForOrder(trx, command.orderId, command.reason, { ...deps, logger }, trace),
    ),
    SagaFailed: handleOnce(knex, "inventory", (trx, event, { logger }) =>
      voidIfUnreserved(trx, event.orderId, { ...deps, logger }),
    ),
  };
}
