import type { ShippingAddress, TraceContext } from "@fulfillment/contracts";
import { decideForOrder, type OutgoingMessage } from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import {
  decideShipment,
  receiveInput,
  type InputOutcome,
  type ShipmentState,
  type ShipmentVerdict,
} from "../domain/shipment.js";
import {
  cancelUndecided,
  claimShipment,
  loadDestinations,
  saveDecision,
  saveInputs,
} from "../persistence/shipment-repository.js";

export { seedDestinations } from "../persistence/shipment-repository.js";

export interface ShipmentDeps extends ApplicationDeps {
  trackingNumber: () => string;
}

type RecordVerdict = Exclude<InputOutcome, { kind: "ready" }> | ShipmentVerdict;

/** Records what arrived (the address or the reservation); once both are known, decides the shipment once. */
export async function recordShipmentInput(
  trx: Knex.Transaction,
  orderId: string,
  input: { address: ShippingAddress; patientId: string } | { reservationId: string },
  deps: ShipmentDeps,
  cause: TraceContext,
): Promise<void> {
  const now = deps.now();
  await decideForOrder<ShipmentState, RecordVerdict>(
    trx,
    orderId,
    {
      lock: (t) => claimShipment(t, orderId, input, now),
      decide: async (current, t) => {
        const outcome = receiveInput(current, input);
        return outcome.kind === "ready" ? decideShipment(outcome, await loadDestinations(t)) : outcome;
      },
      save: async (t, verdict): Promise<OutgoingMessage[]> => {
        switch (verdict.kind) {
          case "ignore":
            return [];
          case "wait":
            await saveInputs(t, orderId, verdict, now);
            return [];
          case "initiate": {
            const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
            const shipment = {
              shipmentId: `shp-${deps.newId()}`,
              trackingNumber: deps.trackingNumber(),
              carrier: verdict.carrier,
            };
            await saveDecision(t, orderId, { status: "INITIATED", ...verdict, shipment }, now);
            deps.logger.info(
              { orderId, shipmentId: shipment.shipmentId },
              `shipment initiated for ${orderId}`,
            );
            const destinationCountry = verdict.address.country;
            return [{ name: "ShipmentInitiated", value: { ...header, ...shipment, destinationCountry } }];
          }
          case "fail": {
            const header = { eventId: deps.newId(), occurredAt: now.getTime(), orderId };
            await saveDecision(t, orderId, { status: "FAILED", ...verdict }, now);
            deps.logger.info({ orderId, reason: verdict.reason }, `shipment for ${orderId} failed`);
            return [{ name: "ShipmentInitiationFailed", value: { ...header, reason: verdict.reason } }];
          }
        }
      },
    },
    cause,
  );
}

/**
 * On SagaFailed: a shipment cannot be undone, so an order whose saga has failed is never
 * shipped, even if its reservation arrives late. A shipment already initiated stays as it is.
 */
export async function cancelIfUndecided(
  trx: Knex.Transaction,
  orderId: string,
  reason: string,
  deps: ShipmentDeps,
): Promise<void> {
  if (await cancelUndecided(trx, orderId, reason, deps.now()))
    deps.logger.info({ orderId }, `saga for ${orderId} failed: it will not be shipped`);
}
