import { PermanentError, processOnce, type MessageHandlers } from "@fulfillment/outbox";
import type { Knex } from "knex";
import {
  releaseForOrder,
  reserveForPrescription,
  voidIfUnreserved,
  type InventoryDeps,
} from "../application/reservations.js";

const CONSUMER = "inventory";

export function inventoryHandlers(knex: Knex, deps: InventoryDeps): MessageHandlers {
  return {
    PrescriptionCreated: async (prescription, { trace, logger }) => {
      if (
        prescription.items.length === 0 ||
        prescription.items.some((i) => !Number.isInteger(i.quantity) || i.quantity < 1)
      ) {
        throw new PermanentError(
          "INVALID_PRESCRIPTION",
          `PrescriptionCreated for ${prescription.orderId} must list items with quantities of at least 1`,
        );
      }
      await processOnce(knex, CONSUMER, prescription.eventId, (trx) =>
        reserveForPrescription(trx, prescription, { ...deps, logger }, trace),
      );
    },
    SagaFailed: async (event, { logger }) => {
      await processOnce(knex, CONSUMER, event.eventId, (trx) =>
        voidIfUnreserved(trx, event.orderId, { ...deps, logger }),
      );
    },
    ReleaseInventory: async (command, { trace, logger }) => {
      await processOnce(knex, CONSUMER, command.eventId, (trx) =>
        releaseForOrder(trx, command.orderId, command.reason, { ...deps, logger }, trace),
      );
    },
  };
}
