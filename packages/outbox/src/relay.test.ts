import { describe, expect, it } from "vitest";
import { heldBackDelayMs } from "./relay.js";

describe("held-back poll delay", () => {
  it("starts at 1 ms and doubles up to 20 ms", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(heldBackDelayMs)).toEqual([1, 2, 4, 8, 16, 20, 20]);
  });
});
