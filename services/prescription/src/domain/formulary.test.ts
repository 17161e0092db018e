import { describe, expect, it } from "vitest";
import { checkAgainstFormulary, type FormularyEntry } from "./formulary.js";
import { cancelPrescription } from "./prescription.js";

const formulary = new Map<string, FormularyEntry>([
  ["AMOX-500", { sku: "AMOX-500", name: "Amoxicillin 500 mg", prescriptionOnly: true, maxQuantity: 3 }],
  ["IBU-200", { sku: "IBU-200", name: "Ibuprofen 200 mg", prescriptionOnly: false, maxQuantity: 5 }],
]);
const item = (sku: string, quantity: number) => ({ sku, quantity, unitPriceCents: 100 });

describe("formulary rules", () => {
  it("approves listed items within their limits", () => {
    expect(
      checkAgainstFormulary(
        { items: [item("AMOX-500", 2), item("IBU-200", 5)], prescriberId: "dr-1" },
        formulary,
      ),
    ).toEqual({
      approved: true,
      items: [
        { sku: "AMOX-500", quantity: 2 },
        { sku: "IBU-200", quantity: 5 },
      ],
    });
  });

  it("rejects an unknown item, naming it", () => {
    const verdict = checkAgainstFormulary({ items: [item("UNOBTAINIUM", 1)], prescriberId: null }, formulary);
    expect(verdict).toMatchObject({ approved: false, reason: "UNOBTAINIUM is not in the formulary" });
  });

  it("needs a prescriber for prescription-only items", () => {
    const verdict = checkAgainstFormulary({ items: [item("AMOX-500", 1)], prescriberId: null }, formulary);
    expect(verdict).toMatchObject({
      approved: false,
      rejected: [{ sku: "AMOX-500", rule: "PRESCRIBER_REQUIRED" }],
    });
  });

  it("sums lines of the same item against its quantity limit", () => {
    const verdict = checkAgainstFormulary(
      { items: [item("IBU-200", 3), item("IBU-200", 3)], prescriberId: null },
      formulary,
    );
    expect(verdict).toMatchObject({
      approved: false,
      rejected: [{ sku: "IBU-200", rule: "QUANTITY_LIMIT_EXCEEDED" }],
    });
  });
});

describe("formulary reasons", () => {
  it("names each broken rule and item in the reason, one after another", () => {
    const verdict = checkAgainstFormulary(
      { items: [item("AMOX-500", 4), item("UNOBTAINIUM", 1)], prescriberId: null },
      formulary,
    );
    expect(verdict).toEqual({
      approved: false,
      rejected: [
        {
          sku: "AMOX-500",
          rule: "PRESCRIBER_REQUIRED",
          detail: "AMOX-500 (Amoxicillin 500 mg) is prescription-only and the order has no prescriber",
        },
        {
          sku: "AMOX-500",
          rule: "QUANTITY_LIMIT_EXCEEDED",
          detail: "AMOX-500 (Amoxicillin 500 mg): 4 ordered, at most 3 allowed",
        },
        { sku: "UNOBTAINIUM", rule: "NOT_IN_FORMULARY", detail: "UNOBTAINIUM is not in the formulary" },
      ],
      reason:
        "AMOX-500 (Amoxicillin 500 mg) is prescription-only and the order has no prescriber; " +
        "AMOX-500 (Amoxicillin 500 mg): 4 ordered, at most 3 allowed; UNOBTAINIUM is not in the formulary",
    });
  });
});

describe("cancelling a prescription", () => {
  const issued = {
    prescriptionId: "rx-1",
    orderId: "o-1",
    status: "ISSUED" as const,
    items: [],
    reason: null,
  };

  it("cancels an issued prescription once", () => {
    const first = cancelPrescription("o-1", issued, "saga");
    expect(first).toMatchObject({ next: { status: "CANCELLED" }, cancelledId: "rx-1" });
    expect(cancelPrescription("o-1", first.next, "again").next).toBe(first.next);
  });

  it("confirms a cancellation for an order never seen, leaving a tombstone", () => {
    expect(cancelPrescription("o-2", null, "deadline")).toMatchObject({
      next: { status: "VOIDED" },
      cancelledId: null,
    });
  });

  it("leaves a tombstone that holds no items and keeps the reason", () => {
    expect(cancelPrescription("o-2", null, "deadline").next).toEqual({
      prescriptionId: null,
      orderId: "o-2",
      status: "VOIDED",
      items: [],
      reason: "deadline",
    });
  });

  it("confirms a repeated cancellation with the prescription it cancelled", () => {
    const cancelled = cancelPrescription("o-1", issued, "saga").next;
    expect(cancelPrescription("o-1", cancelled, "again")).toEqual({ next: cancelled, cancelledId: "rx-1" });
  });

  it("confirms, without naming a prescription, the cancellation of one that was never issued", () => {
    const rejected = { ...issued, status: "REJECTED" as const };
    expect(cancelPrescription("o-1", rejected, "saga")).toEqual({ next: rejected, cancelledId: null });
    const voided = cancelPrescription("o-1", null, "first").next;
    expect(cancelPrescription("o-1", voided, "again")).toEqual({ next: voided, cancelledId: null });
  });
});
