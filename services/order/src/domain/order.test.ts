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
});
