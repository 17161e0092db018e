import { describe, expect, it } from "vitest";
import { deadlineOf, deadlinesFrom, deadlineSettings, expiredFact, type Deadlines } from "./deadlines.js";
import type { RecordedFact } from "./facts.js";
import { sagaStateFromFacts } from "./saga-state.js";
import { compensationTimedOut, confirmed, failed, issued, ok, placed, timedOut } from "./saga.fixture.js";

const deadlines: Deadlines = {
  steps: { prescription: 100, inventory: 200, shipment: 300 },
  compensation: 5_000,
};
const deadline = (...facts: RecordedFact[]) => deadlineOf(sagaStateFromFacts(facts), facts, deadlines);
const expired = (...facts: RecordedFact[]) => expiredFact(sagaStateFromFacts(facts));

describe("deadlines", () => {
  it("gives each step its own time, counted from the previous step's success", () => {
    expect(deadline(placed)).toBe(placed.recordedAt + 100);
    const prescribed = ok("prescription");
    expect(deadline(placed, prescribed)).toBe(prescribed.recordedAt + 200);
    const reserved = ok("inventory");
    expect(deadline(placed, prescribed, reserved)).toBe(reserved.recordedAt + 300);
  });

  it("gives a compensation its time from when it was issued, the one awaited now", () => {
    const release = issued("ReleaseInventory");
    const cancelRx = issued("CancelPrescription");
    const base = [placed, ok("prescription"), ok("inventory"), failed("shipment")];
    expect(deadline(...base, release)).toBe(release.recordedAt + 5_000);
    expect(deadline(...base, release, confirmed("ReleaseInventory"), cancelRx)).toBe(
      cancelRx.recordedAt + 5_000,
    );
  });

  it("waits for nothing when a failed saga has no compensation in flight", () => {
    expect(deadline(placed, failed("prescription"))).toBeNull();
  });

  it("waits for nothing once the saga is over", () => {
    expect(deadline(placed, ok("prescription"), ok("inventory"), ok("shipment"))).toBeNull();
    expect(
      deadline(placed, failed("prescription"), issued("CancelOrder"), confirmed("CancelOrder")),
    ).toBeNull();
    const stuck = [
      placed,
      failed("prescription"),
      issued("CancelOrder"),
      compensationTimedOut("CancelOrder"),
    ];
    expect(deadline(...stuck)).toBeNull();
  });

  it("stops counting once an operator must act, even with a compensation in flight", () => {
    const late = [
      placed,
      ok("prescription"),
      ok("inventory"),
      timedOut("shipment"),
      issued("ReleaseInventory"),
    ];
    expect(deadline(...late, ok("shipment"))).toBeNull();
    expect(expired(...late, ok("shipment"))).toBeNull();
  });

  it("waits for nothing between a confirmation and the next compensation", () => {
    const facts = [placed, ok("prescription"), failed("inventory"), issued("CancelPrescription")];
    expect(deadline(...facts, confirmed("CancelPrescription"))).toBeNull();
  });
});

describe("what a passed deadline records", () => {
  it("times out the step waited for", () => {
    expect(expired(placed)).toEqual({ kind: "StepTimedOut", step: "prescription" });
  });

  it("times out the compensation waited for, not one already confirmed", () => {
    const base = [placed, ok("prescription"), timedOut("inventory"), issued("ReleaseInventory")];
    expect(expired(...base)).toEqual({ kind: "CompensationTimedOut", compensation: "ReleaseInventory" });
    expect(expired(...base, confirmed("ReleaseInventory"), issued("CancelPrescription"))).toEqual({
      kind: "CompensationTimedOut",
      compensation: "CancelPrescription",
    });
  });

  it("records nothing when no compensation is in flight or the saga is over", () => {
    expect(expired(placed, failed("prescription"))).toBeNull();
    expect(expired(placed, ok("prescription"), ok("inventory"), ok("shipment"))).toBeNull();
    expect(
      expired(placed, failed("prescription"), issued("CancelOrder"), confirmed("CancelOrder")),
    ).toBeNull();
  });

  it("reads each deadline by its setting in the saga's definition, and names a missing one", () => {
    const settings = {
      PRESCRIPTION_DEADLINE_MS: 1,
      INVENTORY_DEADLINE_MS: 2,
      SHIPMENT_DEADLINE_MS: 3,
      COMPENSATION_DEADLINE_MS: 4,
    };
    expect(deadlineSettings.map((d) => d.setting)).toEqual(Object.keys(settings));
    expect(deadlinesFrom(settings)).toEqual({
      steps: { prescription: 1, inventory: 2, shipment: 3 },
      compensation: 4,
    });
    const { INVENTORY_DEADLINE_MS: _, ...missing } = settings;
    expect(() => deadlinesFrom(missing)).toThrow("deadline setting INVENTORY_DEADLINE_MS is missing");
  });

  it("says what each deadline setting means, naming its step (docs/operations.md shows it)", () => {
    expect(deadlineSettings.map((d) => d.description)).toEqual([
      "Milliseconds the prescription step may take before the saga counts it as failed and compensates.",
      "Milliseconds the inventory step may take before the saga counts it as failed and compensates.",
      "Milliseconds the shipment step may take before the saga counts it as failed and compensates.",
      "Milliseconds a compensation may go unconfirmed before the saga stops in COMPENSATION_FAILED, for an operator.",
    ]);
  });

  it("times out the compensation, not the step, once the saga failed", () => {
    expect(expired(placed, ok("prescription"), failed("inventory"), issued("CancelPrescription"))).toEqual({
      kind: "CompensationTimedOut",
      compensation: "CancelPrescription",
    });
  });
});
