import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { architecturePage } from "./architecture-page.js";
import { renderArchitecture } from "./architecture.js";

describe("docs/ARCHITECTURE.md", () => {
  it("says what the saga's definition and the contracts say (run `pnpm docs:write` after changing either)", () => {
    const page = readFileSync(architecturePage, "utf8");
    expect(renderArchitecture(page)).toBe(page);
  });

  it("refuses a page whose markers are gone, naming them", () => {
    expect(() => renderArchitecture("# no markers")).toThrow(/<!-- generated:saga-steps -->/);
  });
});
