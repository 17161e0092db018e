import { describe, expect, it } from "vitest";
import { releaseReservation, reserveStock, type StockLevel } from "./stock.js";

const levels = new Map<string, StockLevel>([
  ["AMOX-500", { sku: "AMOX-500", onHand: 10, reserved: 8 }],
  ["IBU-200", { sku: "IBU-200", onHand: 5, reserved: 0 }],
]);

describe("reserving stock", () => {
  it("reserves every line when all are available, summing lines of one SKU", () => {
    expect(
      reserveStock(
        [
          { sku: "IBU-200", quantity: 2 },
          { sku: "IBU-200", quantity: 3 },
          { sku: "AMOX-500", quantity: 2 },
        ],
        levels,
      ),
    ).toEqual({
      reserved: true,
      lines: [
        { sku: "IBU-200", quantity: 5 },
        { sku: "AMOX-500", quantity: 2 },
      ],
    });
  });

  it("reserves nothing when one line is short, naming the short lines", () => {
    const verdict = reserveStock(
      [
        { sku: "IBU-200", quantity: 1 },
        { sku: "AMOX-500", quantity: 3 },
        { sku: "NOPE", quantity: 1 },
      ],
      levels,
    );
    expect(verdict).toEqual({
      reserved: false,
      shortLines: [
        { sku: "AMOX-500", requested: 3, available: 2 },
        { sku: "NOPE", requested: 1, available: 0 },
      ],
      reason: "not enough stock: AMOX-500 (requested 3, available 2), NOPE (requested 1, available 0)",
    });
  });
});

describe("releasing a reservation", () => {
  const reserved = {
    orderId: "o",
    reservationId: "r",
    status: "RESERVED" as const,
    lines: [{ sku: "IBU-200", quantity: 2 }],
  };

  it("releases once", () => {
    const first = releaseReservation("o", reserved);
    expect(first).toEqual({ next: { ...reserved, status: "RELEASED" }, released: reserved.lines });
    expect(releaseReservation("o", first.next)).toEqual({ next: first.next, released: [] });
  });

  it("confirms a release for a reservation that never happened, leaving a tombstone", () => {
    expect(releaseReservation("o", null)).toEqual({
      next: { orderId: "o", reservationId: null, status: "VOIDED", lines: [] },
      released: [],
    });
  });
});
