import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, placeValidOrder, sagaReaching } from "./api.js";
import { startSystem, type RunningSystem } from "./system.js";

let system: RunningSystem;

beforeAll(async () => {
  // Short step deadlines, so a stuck step fails within the test.
  system = await startSystem({
    "saga-tracker": {
      INVENTORY_DEADLINE_MS: "8000",
      PRESCRIPTION_DEADLINE_MS: "8000",
      SHIPMENT_DEADLINE_MS: "8000",
    },
  });
});
afterAll(async () => {
  await system?.stop();
});

describe("step deadlines", () => {
  it("treats a step past its deadline as failed, compensates, and undoes the late success too", async () => {
    const before = await get<{ reserved: number }>(system, `${system.url.inventory}/api/inventory/IBU-200`);
    system.kill("inventory", "SIGSTOP"); // inventory hangs: the reservation step gets stuck
    try {
      const orderId = await placeValidOrder(system);
      const failing = await sagaReaching(system, orderId, ["CANCELLED_INVENTORY_FAILED"], 30_000);
      expect(failing.failureReason).toBe("inventory step passed its deadline");
      expect(failing.history.map((h) => `${h.step}:${h.status}`)).toContain("inventory:TIMED_OUT");
      system.kill("inventory", "SIGCONT"); // it wakes up: whatever it does now is compensated
      const done = await sagaReaching(system, orderId, ["CANCELLED"], 60_000);
      expect(done.compensations.map((c) => `${c.command}:${c.status}`)).toEqual([
        "ReleaseInventory:CONFIRMED",
        "CancelPrescription:CONFIRMED",
        "CancelOrder:CONFIRMED",
      ]);
      await expect
        .poll(
          async () =>
            (await get<{ reserved: number }>(system, `${system.url.inventory}/api/inventory/IBU-200`))
              .reserved,
          { timeout: 20_000 },
        )
        .toBe(before.reserved);
      const order = await get<{ status: string }>(system, `${system.url.order}/api/orders/${orderId}`);
      expect(order.status).toBe("CANCELLED");
    } finally {
      system.kill("inventory", "SIGCONT");
    }
  });
});
