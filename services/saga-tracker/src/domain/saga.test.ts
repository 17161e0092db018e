import { describe, expect, it } from "vitest";
import { deadlineOf, expiredFact, type Deadlines } from "./deadlines.js";
import { at, confirmed, failed, given, ok, placed, play } from "./saga.fixture.js";

describe("saga tracker decider", () => {
  it("walks the happy path to COMPLETED", () => {
    expect(play(placed).state.status).toBe("PENDING_PRESCRIPTION");
    expect(play(placed, ok("prescription")).state.status).toBe("PENDING_INVENTORY_RESERVATION");
    expect(play(placed, ok("prescription"), ok("inventory")).state.status).toBe("PENDING_SHIPMENT");
    const done = play(placed, ok("prescription"), ok("inventory"), ok("shipment"));
    expect(done.state.status).toBe("COMPLETED");
    expect(done.commands).toEqual([]);
  });

  it("publishes started, state changes and completion", () => {
    const first = given().when(placed);
    expect(first.lifecycle.map((e) => e.type)).toEqual(["SagaStarted", "SagaStateChanged"]);
    const last = given(placed, ok("prescription"), ok("inventory")).when(ok("shipment"));
    expect(last.lifecycle.map((e) => e.type)).toEqual(["SagaStateChanged", "SagaCompleted"]);
  });

  it("compensates a prescription failure by cancelling the order only", () => {
    const saga = play(placed, failed("prescription"));
    expect(saga.state.status).toBe("CANCELLED_PRESCRIPTION_FAILED");
    expect(saga.commands).toEqual(["CancelOrder"]);
    expect(play(placed, failed("prescription"), confirmed("CancelOrder")).state.status).toBe("CANCELLED");
  });

  it("compensates an inventory failure in reverse order, one step at a time", () => {
    const waiting = play(placed, ok("prescription"), failed("inventory"));
    expect(waiting.commands).toEqual(["CancelPrescription"]);
    const next = play(placed, ok("prescription"), failed("inventory"), confirmed("CancelPrescription"));
    expect(next.commands).toEqual(["CancelPrescription", "CancelOrder"]);
    const done = play(
      placed,
      ok("prescription"),
      failed("inventory"),
      confirmed("CancelPrescription"),
      confirmed("CancelOrder"),
    );
    expect(done.state.status).toBe("CANCELLED");
  });

  it("compensates a shipment failure with release → cancel prescription → cancel order", () => {
    const saga = play(
      placed,
      ok("prescription"),
      ok("inventory"),
      failed("shipment"),
      confirmed("ReleaseInventory"),
      confirmed("CancelPrescription"),
      confirmed("CancelOrder"),
    );
    expect(saga.commands).toEqual(["ReleaseInventory", "CancelPrescription", "CancelOrder"]);
    expect(saga.state.status).toBe("CANCELLED");
    expect(saga.state.compensations.map((c) => c.compensation)).toEqual([
      "ReleaseInventory",
      "CancelPrescription",
      "CancelOrder",
    ]);
  });

  it("does not issue the next compensation before the previous one is confirmed", () => {
    const saga = play(
      placed,
      ok("prescription"),
      ok("inventory"),
      failed("shipment"),
      confirmed("CancelOrder"),
    );
    expect(saga.commands).toEqual(["ReleaseInventory"]);
    expect(saga.state.status).toBe("CANCELLED_SHIPMENT_FAILED");
  });

  it("reaches the same state whatever order the events arrive in, and ignores duplicates", () => {
    const facts = [placed, ok("prescription"), ok("inventory"), failed("shipment")];
    const reference = play(...facts);
    for (const order of [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ]) {
      const shuffled = play(...order.map((i) => facts[i]!), facts[2]!, facts[3]!);
      expect(shuffled.state.status).toBe(reference.state.status);
      expect(shuffled.commands).toEqual(["ReleaseInventory"]);
    }
  });

  it("infers earlier successes from a later step's event that overtook them", () => {
    expect(play(placed, failed("inventory")).state.status).toBe("CANCELLED_INVENTORY_FAILED");
    expect(play(placed, failed("inventory")).commands).toEqual(["CancelPrescription"]);
  });

  it("turns a step past its deadline into a failure that also undoes the step itself", () => {
    const deadlines: Deadlines = {
      steps: { prescription: 100, inventory: 100, shipment: 100 },
      compensation: 500,
    };
    const pending = play(placed, ok("prescription"));
    const due = deadlineOf(pending.state, pending.known, deadlines);
    expect(due).toBe(pending.known.find((f) => f.kind === "StepSucceeded")!.recordedAt + 100);
    const timeout = expiredFact(pending.state);
    expect(timeout).toEqual({ kind: "StepTimedOut", step: "inventory" });
    const saga = play(placed, ok("prescription"), at(timeout!));
    expect(saga.state.status).toBe("CANCELLED_INVENTORY_FAILED");
    expect(saga.commands).toEqual(["ReleaseInventory"]);
  });

  it("compensates a success that arrives after its deadline", () => {
    const saga = play(
      placed,
      at({ kind: "StepTimedOut", step: "prescription" }),
      ok("prescription"),
      ok("inventory"),
    );
    expect(saga.state.compensations.map((c) => c.compensation)).toEqual([
      "ReleaseInventory",
      "CancelPrescription",
      "CancelOrder",
    ]);
    expect(saga.state.failure).toMatchObject({ step: "prescription", timedOut: true });
  });

  it("keeps the timed-out step's own compensation when that step then answers with a failure", () => {
    const saga = play(
      placed,
      ok("prescription"),
      at({ kind: "StepTimedOut", step: "inventory" }),
      failed("inventory"),
    );
    expect(saga.state.failure).toMatchObject({
      step: "inventory",
      timedOut: true,
      reason: "inventory step passed its deadline",
    });
    expect(saga.state.compensations.map((c) => c.compensation)).toEqual([
      "ReleaseInventory",
      "CancelPrescription",
      "CancelOrder",
    ]);
  });

  it("needs an operator when a compensation passes its deadline or a shipment succeeds too late", () => {
    const stuck = play(
      placed,
      failed("prescription"),
      at({ kind: "CompensationTimedOut", compensation: "CancelOrder" }),
    );
    expect(stuck.state.status).toBe("COMPENSATION_FAILED");
    const lateShipment = play(
      placed,
      ok("prescription"),
      ok("inventory"),
      at({ kind: "StepTimedOut", step: "shipment" }),
      ok("shipment"),
    );
    expect(lateShipment.state.status).toBe("COMPENSATION_FAILED");
  });
});
