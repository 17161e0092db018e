import type { TraceContext } from "@fulfillment/contracts";
import { appendToOutbox, lockOrderId, type OutgoingMessage } from "@fulfillment/outbox";
import type { ApplicationDeps } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { decideOrder, type OrderCommand, type OrderDecision } from "../domain/order.js";
import { lockOrder, saveOrder } from "../persistence/order-repository.js";

export type OrderDeps = ApplicationDeps;

/** Load → decide → save + outbox, in the caller's transaction. */
export async function handleOrderCommand(
  trx: Knex.Transaction,
  orderId: string,
  command: OrderCommand,
  deps: OrderDeps,
  cause?: TraceContext,
): Promise<OrderDecision> {
  const now = deps.now();
  // One decision at a time per order, also for an order not yet stored: a CancelOrder and an
  // OrderCreated racing for a new id must not both decide from "no order" (the later write would
  // revive a cancelled order).
  await lockOrderId(trx, orderId);
  const state = await lockOrder(trx, orderId);
  const decision = decideOrder(command, state);
  if (decision.next && decision.next !== state) await saveOrder(trx, orderId, decision.next, now);
  const messages: OutgoingMessage[] = [];
  if (decision.publish === "OrderCreated" && command.type === "PlaceOrder") {
    messages.push({ name: "OrderCreated", value: command.order });
  }
  if (decision.publish === "OrderCancelled" && command.type === "CancelOrder") {
    messages.push({
      name: "OrderCancelled",
      value: { eventId: deps.newId(), occurredAt: now.getTime(), orderId, reason: command.reason },
    });
  }
  await appendToOutbox(trx, messages, cause);
  if (decision.next?.status !== state?.status) {
    deps.logger.info(
      { orderId, from: state?.status ?? "NEW", to: decision.next?.status },
      `order ${orderId}: ${decision.note}`,
    );
  }
  return decision;
}
