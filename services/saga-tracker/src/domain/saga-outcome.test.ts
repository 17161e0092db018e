import { ORDER_ALREADY_CANCELLED } from "@fulfillment/outbox";
import { describe, expect, it } from "vitest";
import { SAGA_STATUSES } from "./saga-definition.js";
import {
  AWAITED,
  outcomeLabels,
  outcomeOf,
  reasonClassesOf,
  reasonClassOf,
  SAGA_OUTCOMES,
} from "./saga-outcome.js";

describe("a saga's outcome", () => {
  it("is named for the three final statuses only, null while the saga runs", () => {
    expect(Object.fromEntries(SAGA_STATUSES.map((status) => [status, outcomeOf(status)]))).toEqual({
      PENDING_PRESCRIPTION: null,
      PENDING_INVENTORY_RESERVATION: null,
      PENDING_SHIPMENT: null,
      COMPLETED: "completed",
      CANCELLED_PRESCRIPTION_FAILED: null,
      CANCELLED_INVENTORY_FAILED: null,
      CANCELLED_SHIPMENT_FAILED: null,
      CANCELLED: "compensated",
      COMPENSATION_FAILED: "needs_operator",
    });
  });

  it("lists every outcome a final status has, and no other", () => {
    expect(SAGA_OUTCOMES).toEqual(SAGA_STATUSES.flatMap((status) => outcomeOf(status) ?? []));
  });

  it("pairs with the failed step: none for a completed saga, each step for the others", () => {
    expect(outcomeLabels().map((l) => `${l.outcome}/${l.failed_step}`)).toEqual([
      "completed/none",
      "compensated/prescription",
      "needs_operator/prescription",
      "compensated/inventory",
      "needs_operator/inventory",
      "compensated/shipment",
      "needs_operator/shipment",
    ]);
  });
});

describe("a step failure's reason class", () => {
  it("is the step's own refusal, whatever the participant's words", () => {
    const refusal = (step: "prescription" | "inventory" | "shipment", reason: string) =>
      reasonClassOf({ step, reason, timedOut: false });
    expect([
      refusal("prescription", "AMOX-500 needs a prescriber"),
      refusal("inventory", "not enough stock: AMOX-500 (requested 9, available 1)"),
      refusal("shipment", "destination AQ is not serviceable"),
    ]).toEqual(["rejected", "out_of_stock", "not_serviceable"]);
  });

  it("is timeout for a deadline that passed, order_cancelled for a step asked after the order was cancelled", () => {
    expect(
      reasonClassOf({ step: "inventory", reason: "inventory step passed its deadline", timedOut: true }),
    ).toBe("timeout");
    expect(reasonClassOf({ step: "prescription", reason: ORDER_ALREADY_CANCELLED, timedOut: false })).toBe(
      "order_cancelled",
    );
  });

  it("has three possible values per step, the ones reasonClassOf can answer", () => {
    expect(reasonClassesOf("shipment")).toEqual(["not_serviceable", "timeout", "order_cancelled"]);
    expect(reasonClassesOf("prescription")).toEqual(["rejected", "timeout", "order_cancelled"]);
  });
});

describe("what a deadline can expire on", () => {
  it("is each step, then each compensation command, the order's last", () => {
    expect(AWAITED).toEqual([
      "prescription",
      "inventory",
      "shipment",
      "CancelPrescription",
      "ReleaseInventory",
      "CancelOrder",
    ]);
  });
});
