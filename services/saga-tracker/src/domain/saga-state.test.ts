import { describe, expect, it } from "vitest";
import type { RecordedFact } from "./facts.js";
import { isFinal, nextCompensation, sagaStateFromFacts, type SagaStatus } from "./saga-state.js";
import {
  compensationTimedOut,
  confirmed,
  failed,
  given,
  issued,
  ok,
  placed,
  play,
  timedOut,
} from "./saga.fixture.js";

const state = (...facts: RecordedFact[]) => sagaStateFromFacts(facts);
const chain = (...facts: RecordedFact[]) => state(...facts).compensations.map((c) => c.compensation);

describe("saga state", () => {
  it("owes nothing while the steps go well", () => {
    expect(state(placed)).toEqual({
      status: "PENDING_PRESCRIPTION",
      currentStep: "prescription",
      failure: null,
      compensations: [],
      irreversibleLateSuccess: false,
    });
    expect(state(placed, ok("prescription"), ok("inventory"), ok("shipment"))).toEqual({
      status: "COMPLETED",
      currentStep: null,
      failure: null,
      compensations: [],
      irreversibleLateSuccess: false,
    });
  });

  it("infers an earlier success from a later step's success that overtook it", () => {
    expect(state(placed, ok("inventory")).status).toBe("PENDING_SHIPMENT");
  });

  it("undoes a timed-out step itself, and only the steps up to it", () => {
    const saga = play(placed, timedOut("prescription"));
    expect(saga.state.compensations.map((c) => c.compensation)).toEqual([
      "CancelPrescription",
      "CancelOrder",
    ]);
    expect(saga.commands).toEqual(["CancelPrescription"]);
  });

  it("never asks to undo a shipment, which cannot be undone", () => {
    expect(chain(placed, ok("prescription"), ok("inventory"), timedOut("shipment"))).toEqual([
      "ReleaseInventory",
      "CancelPrescription",
      "CancelOrder",
    ]);
  });

  it("keeps the first failure when a later step fails after a late success", () => {
    const saga = state(placed, timedOut("prescription"), ok("prescription"), failed("inventory"));
    expect(saga.failure).toEqual({
      step: "prescription",
      reason: "prescription step passed its deadline",
      timedOut: true,
    });
    expect(saga.status).toBe("CANCELLED_PRESCRIPTION_FAILED");
  });

  it("keeps an issued compensation in the chain whatever arrives later", () => {
    const facts = [placed, failed("inventory"), issued("CancelPrescription"), failed("prescription")];
    expect(chain(...facts)).toEqual(["CancelPrescription", "CancelOrder"]);
  });

  it("compensates a reversible step that succeeds after its deadline, with no operator needed", () => {
    const saga = play(placed, ok("prescription"), timedOut("inventory"), ok("inventory"));
    expect(saga.state).toMatchObject({
      status: "CANCELLED_INVENTORY_FAILED",
      irreversibleLateSuccess: false,
      currentStep: "compensation:ReleaseInventory",
    });
    expect(saga.commands).toEqual(["ReleaseInventory"]);
  });

  it("shows each compensation's progress and the one in flight as the current step", () => {
    const saga = state(
      placed,
      ok("prescription"),
      failed("inventory"),
      issued("CancelPrescription"),
      confirmed("CancelPrescription"),
      issued("CancelOrder"),
    );
    expect(saga.compensations).toEqual([
      { compensation: "CancelPrescription", status: "CONFIRMED" },
      { compensation: "CancelOrder", status: "ISSUED" },
    ]);
    expect(saga.currentStep).toBe("compensation:CancelOrder");
    expect(
      state(placed, failed("prescription"), issued("CancelOrder"), confirmed("CancelOrder")),
    ).toMatchObject({
      status: "CANCELLED",
      currentStep: null,
    });
  });

  it("needs an operator as soon as any compensation of the chain times out", () => {
    const saga = state(
      placed,
      ok("prescription"),
      failed("inventory"),
      issued("CancelPrescription"),
      compensationTimedOut("CancelPrescription"),
    );
    expect(saga).toMatchObject({ status: "COMPENSATION_FAILED", currentStep: null });
    expect(saga.compensations.map((c) => c.status)).toEqual(["TIMED_OUT", "PENDING"]);
    expect(nextCompensation(saga)).toBeNull();
  });

  it("issues nothing once a shipment succeeded too late, leaving it to an operator", () => {
    const decision = given().when(
      placed,
      ok("prescription"),
      ok("inventory"),
      timedOut("shipment"),
      ok("shipment"),
    );
    expect(decision.after).toMatchObject({ status: "COMPENSATION_FAILED", irreversibleLateSuccess: true });
    expect(decision.commands).toEqual([]);
  });

  it("counts a saga as over only once it completed, was cancelled or needs an operator", () => {
    const statuses: SagaStatus[] = [
      "PENDING_PRESCRIPTION",
      "PENDING_INVENTORY_RESERVATION",
      "PENDING_SHIPMENT",
      "CANCELLED_PRESCRIPTION_FAILED",
      "CANCELLED_INVENTORY_FAILED",
      "CANCELLED_SHIPMENT_FAILED",
      "COMPLETED",
      "CANCELLED",
      "COMPENSATION_FAILED",
    ];
    expect(statuses.filter(isFinal)).toEqual(["COMPLETED", "CANCELLED", "COMPENSATION_FAILED"]);
  });
});
