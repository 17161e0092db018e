import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { matrixMarkdown, matrixRoutes } from "./access-matrix.js";

/** A Markdown table without the padding Prettier adds, so formatting does not count as drift. */
const normalized = (table: string) =>
  table
    .trim()
    .split("\n")
    .map((row) =>
      row
        .split("|")
        .map((cell) => cell.trim().replace(/-+/g, "-"))
        .join("|"),
    )
    .join("\n");

const doc = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "SECURITY.md");

describe("the authorization matrix", () => {
  it("in docs/SECURITY.md is the one the services enforce", () => {
    const text = readFileSync(doc, "utf8");
    const documented = /<!-- matrix:start -->\n([\s\S]*?)\n<!-- matrix:end -->/.exec(text)?.[1];
    expect(
      normalized(documented ?? ""),
      "paste this table between the matrix markers of docs/SECURITY.md",
    ).toBe(normalized(matrixMarkdown()));
  });

  it("lists every route once, and every route allows some role", () => {
    const keys = matrixRoutes.map((r) => `${r.service} ${r.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of matrixRoutes) expect(Object.keys(route.rules).length, route.key).toBeGreaterThan(0);
  });
});
