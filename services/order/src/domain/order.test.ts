import type { OrderCreated } from "@fulfillment/contracts";
import { describe, expect, it } from "vitest";
import { decideOrder, type Order } from "./order.js";

const details = { orderId: "o-1" } as OrderCreated;
const placed: Order = { status: "PLACED", details, sagaStatus: null };

describe("order rules", () => {
  it("places a new order and publishes OrderCreated only when it came from the API", () => {
    expect(decideOrder({ type: "PlaceOrder", order: details, publish: true }, null)).toMatchObject({
      next: placed,
      publish: "OrderCreated",
    });
    expect(decideOrder({ type: "PlaceOrder", order: details, publish: false }, null).publish).toBeNull();
  });

  it("is idempotent on the order id", () => {
    expect(decideOrder({ type: "PlaceOrder", order: details, publish: true }, placed)).toMatchObject({
      next: placed,
      publish: null,
    });
  });

  it("cancels a placed order and confirms a repeated cancellation without a second effect", () => {
    const first = decideOrder({ type: "CancelOrder", reason: "no stock" }, placed);
    expect(first).toMatchObject({
      next: { status: "CANCELLED", reason: "no stock" },
      publish: "OrderCancelled",
    });
    const again = decideOrder({ type: "CancelOrder", reason: "again" }, first.next);
    expect(again).toMatchObject({ next: first.next, publish: "OrderCancelled" });
  });

  it("leaves a tombstone when cancelling an order it has not seen, so it cannot be placed later", () => {
    const tombstone = decideOrder({ type: "CancelOrder", reason: "deadline" }, null).next;
    expect(tombstone).toMatchObject({ status: "CANCELLED", details: null });
    expect(decideOrder({ type: "PlaceOrder", order: details, publish: false }, tombstone).next).toBe(
      tombstone,
    );
  });

  it("marks only placed orders fulfilled, and never cancels a fulfilled one", () => {
    const fulfilled = decideOrder({ type: "MarkFulfilled" }, placed).next;
    expect(fulfilled?.status).toBe("FULFILLED");
    expect(decideOrder({ type: "CancelOrder", reason: "x" }, fulfilled)).toMatchObject({
      next: fulfilled,
      publish: null,
    });
  });

  it("follows the saga's status but never steps back from a final one", () => {
    const pending = decideOrder({ type: "RecordSagaStatus", sagaStatus: "PENDING_SHIPMENT" }, placed).next;
    expect(pending?.sagaStatus).toBe("PENDING_SHIPMENT");
    const done = decideOrder({ type: "RecordSagaStatus", sagaStatus: "COMPLETED" }, pending).next;
    expect(
      decideOrder({ type: "RecordSagaStatus", sagaStatus: "PENDING_PRESCRIPTION" }, done).next?.sagaStatus,
    ).toBe("COMPLETED");
  });

  it("confirms the cancellation of an order it has not seen", () => {
    expect(decideOrder({ type: "CancelOrder", reason: "deadline" }, null)).toMatchObject({
      next: { status: "CANCELLED", reason: "deadline", sagaStatus: null },
      publish: "OrderCancelled",
    });
  });

  it("fulfils nothing but a placed order", () => {
    const cancelled = decideOrder({ type: "CancelOrder", reason: "x" }, placed).next;
    const fulfilled = decideOrder({ type: "MarkFulfilled" }, placed).next;
    for (const state of [null, cancelled, fulfilled]) {
      expect(decideOrder({ type: "MarkFulfilled" }, state)).toMatchObject({ next: state, publish: null });
    }
  });

  it("ignores a saga status for an order it has not seen", () => {
    expect(decideOrder({ type: "RecordSagaStatus", sagaStatus: "COMPLETED" }, null).next).toBeNull();
  });

  it("says in its note, for the log, what a command did and why it did nothing", () => {
    const cancelled = decideOrder({ type: "CancelOrder", reason: "x" }, placed).next;
    const fulfilled = decideOrder({ type: "MarkFulfilled" }, placed).next;
    const done = { ...placed, sagaStatus: "COMPLETED" };
    const notes = [
      decideOrder({ type: "PlaceOrder", order: details, publish: true }, null),
      decideOrder({ type: "PlaceOrder", order: details, publish: true }, fulfilled),
      decideOrder({ type: "CancelOrder", reason: "x" }, null),
      decideOrder({ type: "CancelOrder", reason: "x" }, placed),
      decideOrder({ type: "CancelOrder", reason: "x" }, cancelled),
      decideOrder({ type: "CancelOrder", reason: "x" }, fulfilled),
      decideOrder({ type: "RecordSagaStatus", sagaStatus: "PENDING_SHIPMENT" }, placed),
      decideOrder({ type: "RecordSagaStatus", sagaStatus: "PENDING_SHIPMENT" }, done),
      decideOrder({ type: "MarkFulfilled" }, placed),
      decideOrder({ type: "MarkFulfilled" }, cancelled),
    ].map((decision) => decision.note);
    expect(notes).toEqual([
      "order placed",
      "order already known (FULFILLED)",
      "cancelled before it was seen",
      "order cancelled",
      "already cancelled: confirmed again",
      "fulfilled orders are not cancelled",
      "saga is PENDING_SHIPMENT",
      "saga status PENDING_SHIPMENT ignored",
      "order fulfilled",
      "only a placed order becomes fulfilled",
    ]);
  });
});
