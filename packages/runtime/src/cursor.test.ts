import { describe, expect, it } from "vitest";
import { cursorParam, encodeCursor } from "./cursor.js";

const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("keyset cursors", () => {
  it("round-trip a position", () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    expect(cursorParam.parse(encodeCursor({ at, id: "o-1" }))).toEqual({ at, id: "o-1" });
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["a bad date", encoded({ at: "0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ", id: "o-1" })],
    ["an impossible date", encoded({ at: "2026-13-45T00:00:00Z", id: "o-1" })],
    ["a missing id", encoded({ at: "2026-01-01T00:00:00Z" })],
    ["an extra field", encoded({ at: "2026-01-01T00:00:00Z", id: "o", sql: "1=1" })],
    ["a number", encoded(42)],
    ["too long", "a".repeat(601)],
  ])("refuses %s", (_what, value) => {
    const parsed = cursorParam.safeParse(value);
    expect(parsed.success).toBe(false);
  });
});
