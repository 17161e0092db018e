import type { OrderCreated } from "@fulfillment/contracts";

/** An order as the order service keeps it. */
export type Order =
  | { status: "PLACED"; details: OrderCreated; sagaStatus: string | null }
  | { status: "CANCELLED"; details: OrderCreated | null; sagaStatus: string | null; reason: string }
  | { status: "FULFILLED"; details: OrderCreated; sagaStatus: string | null };

export type OrderCommand =
  | { type: "PlaceOrder"; order: OrderCreated; publish: boolean }
  | { type: "CancelOrder"; reason: string }
  | { type: "RecordSagaStatus"; sagaStatus: string }
  | { type: "MarkFulfilled" };

const FINAL_SAGA_STATUSES = new Set(["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"]);

/** What a command does to an order: its next state and whether an event goes out. */
export interface OrderDecision {
  next: Order | null;
  publish: "OrderCreated" | "OrderCancelled" | null;
  note: string;
}

/**
 * The order's rules. Placing is idempotent on the order id; a cancellation of an order never
 * seen leaves a tombstone (so a late OrderCreated cannot revive it) and is confirmed; a second
 * cancellation is confirmed again without a second effect; a fulfilled order is not cancelled.
 */
export function decideOrder(command: OrderCommand, state: Order | null): OrderDecision {
  switch (command.type) {
    case "PlaceOrder":
      if (state) return { next: state, publish: null, note: `order already known (${state.status})` };
      return {
        next: { status: "PLACED", details: command.order, sagaStatus: null },
        publish: command.publish ? "OrderCreated" : null,
        note: "order placed",
      };
    case "CancelOrder":
      if (!state)
        return {
          next: { status: "CANCELLED", details: null, sagaStatus: null, reason: command.reason },
          publish: "OrderCancelled",
          note: "cancelled before it was seen",
        };
      if (state.status === "FULFILLED")
        return { next: state, publish: null, note: "fulfilled orders are not cancelled" };
      if (state.status === "CANCELLED")
        return { next: state, publish: "OrderCancelled", note: "already cancelled: confirmed again" };
      return {
        next: { ...state, status: "CANCELLED", reason: command.reason },
        publish: "OrderCancelled",
        note: "order cancelled",
      };
    case "RecordSagaStatus":
      // Statuses can arrive again or out of order (a tracker rebuilt by replay): never step back from a final one.
      if (
        !state ||
        (FINAL_SAGA_STATUSES.has(state.sagaStatus ?? "") && !FINAL_SAGA_STATUSES.has(command.sagaStatus))
      ) {
        return { next: state, publish: null, note: `saga status ${command.sagaStatus} ignored` };
      }
      return {
        next: { ...state, sagaStatus: command.sagaStatus },
        publish: null,
        note: `saga is ${command.sagaStatus}`,
      };
    case "MarkFulfilled":
      if (state?.status !== "PLACED")
        return { next: state, publish: null, note: "only a placed order becomes fulfilled" };
      return { next: { ...state, status: "FULFILLED" }, publish: null, note: "order fulfilled" };
  }
}
