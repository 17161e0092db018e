import { describe, expect, it } from "vitest";
import { confirmed, failed, given, issued, NOW, ok, placed, timedOut } from "./saga.fixture.js";

describe("what the decider records and announces", () => {
  it("records each fact once, however often it is delivered", () => {
    const prescribed = ok("prescription");
    const decision = given(placed).when(placed, prescribed, ok("prescription"));
    expect(decision.added).toEqual([prescribed]);
  });

  it("changes nothing, issues nothing and announces nothing on a redelivery", () => {
    // Even if the known facts leave a compensation due, only news may trigger it.
    const decision = given(placed, failed("prescription")).when(failed("prescription"));
    expect(decision).toMatchObject({ added: [], commands: [], lifecycle: [] });
  });

  it("records the compensation it issues, at the clock reading it was given", () => {
    const decision = given(placed).when(failed("prescription"));
    expect(decision.commands).toEqual(["CancelOrder"]);
    expect(decision.added.at(-1)).toEqual({
      kind: "CompensationIssued",
      compensation: "CancelOrder",
      recordedAt: NOW,
      message: "CancelOrder issued",
    });
    expect(decision.after.compensations).toEqual([{ compensation: "CancelOrder", status: "ISSUED" }]);
    expect(decision.after.currentStep).toBe("compensation:CancelOrder");
  });

  it("announces a start, the failure, the compensation issued and the change of state", () => {
    expect(given().when(placed, failed("prescription")).lifecycle).toEqual([
      { type: "SagaStarted" },
      {
        type: "SagaFailed",
        failedStep: "prescription",
        reason: "prescription said no",
        status: "CANCELLED_PRESCRIPTION_FAILED",
      },
      { type: "SagaCompensationRecorded", compensation: "CancelOrder", status: "ISSUED" },
      {
        type: "SagaStateChanged",
        fromStatus: "NEW",
        toStatus: "CANCELLED_PRESCRIPTION_FAILED",
        step: "compensation:CancelOrder",
        message: "OrderPlaced; StepFailed; CancelOrder issued",
      },
    ]);
  });

  it("announces a failure once, not again when the failed step answers late", () => {
    const known = [placed, timedOut("prescription"), issued("CancelPrescription")];
    expect(given(...known).when(failed("prescription")).lifecycle).toEqual([]);
  });

  it("announces a confirmation and the next compensation without a change of state", () => {
    const known = [
      placed,
      ok("prescription"),
      ok("inventory"),
      failed("shipment"),
      issued("ReleaseInventory"),
    ];
    expect(given(...known).when(confirmed("ReleaseInventory")).lifecycle).toEqual([
      { type: "SagaCompensationRecorded", compensation: "ReleaseInventory", status: "CONFIRMED" },
      { type: "SagaCompensationRecorded", compensation: "CancelPrescription", status: "ISSUED" },
    ]);
  });

  it("announces a change of state from the status before, naming the next step", () => {
    expect(given(placed).when(ok("prescription")).lifecycle).toEqual([
      {
        type: "SagaStateChanged",
        fromStatus: "PENDING_PRESCRIPTION",
        toStatus: "PENDING_INVENTORY_RESERVATION",
        step: "inventory",
        message: "StepSucceeded",
      },
    ]);
  });

  it("announces completion once, with step done, even when every fact arrives at once", () => {
    const all = given().when(placed, ok("prescription"), ok("inventory"), ok("shipment"));
    expect(all.lifecycle).toEqual([
      { type: "SagaStarted" },
      {
        type: "SagaStateChanged",
        fromStatus: "NEW",
        toStatus: "COMPLETED",
        step: "done",
        message: "OrderPlaced; StepSucceeded; StepSucceeded; StepSucceeded",
      },
      { type: "SagaCompleted" },
    ]);
    // The order's own event overtaken by every step: the saga was already complete.
    const late = given(ok("prescription"), ok("inventory"), ok("shipment")).when(placed);
    expect(late.lifecycle).toEqual([]);
  });
});
