import { readFileSync } from "node:fs";
import { undocumentedSettings } from "@fulfillment/runtime";
import { describe, expect, it } from "vitest";
import { documentedSettings, operationsPage, serviceSettings, withSettings } from "./settings-doc.js";

/** Markdown without the padding Prettier adds to tables, so formatting does not count as drift. */
const normalized = (markdown: string) =>
  markdown
    .split("\n")
    .map((line) => (line.startsWith("|") ? line.replace(/ *\| */g, "|").replace(/-{3,}/g, "---") : line))
    .join("\n");

describe("the settings in docs/operations.md", () => {
  it("each say what they mean", () => {
    for (const { service, schema } of serviceSettings)
      expect(undocumentedSettings(schema), `${service}: give each of these a .describe() text`).toEqual([]);
  });

  it("are the ones the services read, with their defaults", () => {
    const page = readFileSync(operationsPage, "utf8");
    expect(
      normalized(documentedSettings(page) ?? ""),
      "the settings docs drifted from the config schemas: run pnpm docs:write",
    ).toBe(normalized(documentedSettings(withSettings(page)) ?? ""));
  });
});
