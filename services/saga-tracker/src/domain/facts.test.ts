import { describe, expect, it } from "vitest";
import { assertNever, factKey, type Fact } from "./facts.js";

describe("fact keys", () => {
  // The keys are stored with each fact (the table's uniqueness): changing one would let a
  // redelivered fact of an older saga count twice.
  it("names a fact by its kind and subject", () => {
    const facts: Fact[] = [
      { kind: "OrderPlaced" },
      { kind: "StepSucceeded", step: "inventory" },
      { kind: "StepFailed", step: "inventory", reason: "none left" },
      { kind: "StepTimedOut", step: "shipment" },
      { kind: "CompensationIssued", compensation: "CancelOrder" },
      { kind: "CompensationConfirmed", compensation: "ReleaseInventory" },
      { kind: "CompensationTimedOut", compensation: "CancelPrescription" },
    ];
    expect(facts.map(factKey)).toEqual([
      "OrderPlaced",
      "StepSucceeded:inventory",
      "StepFailed:inventory",
      "StepTimedOut:shipment",
      "CompensationIssued:CancelOrder",
      "CompensationConfirmed:ReleaseInventory",
      "CompensationTimedOut:CancelPrescription",
    ]);
  });

  it("refuses a fact of a kind it does not know, naming it", () => {
    const unknown = { kind: "OrderShredded" } as unknown as Fact;
    expect(() => factKey(unknown)).toThrow('Unexpected value: {"kind":"OrderShredded"}');
    expect(() => assertNever("x" as never)).toThrow('Unexpected value: "x"');
  });
});
