/** docs/operations.md against the rules: every alert has its runbook there, under the anchor its runbook_url names. */
import { describe, expect, it } from "vitest";
import { documentedMetrics, runbookHeadings } from "./docs.js";
import { loadRules, runbookUrlOf } from "./rules.js";

describe("the runbooks in docs/operations.md", () => {
  const { alerts } = loadRules();

  it("have one heading per alert, no more, and each alert's runbook_url is that heading's anchor", () => {
    const headings = runbookHeadings();
    expect([...headings].sort()).toEqual(alerts.map((a) => a.alert).sort());
    for (const heading of headings)
      expect(alerts.find((a) => a.alert === heading)?.annotations.runbook_url).toBe(
        runbookUrlOf(heading.toLowerCase()),
      );
  });
});

describe("the metrics table", () => {
  it("is read row by row from the table whose first column is metric, families as prefixes", () => {
    const markdown = [
      "## Metrics",
      "",
      "| rule | what |",
      "| `saga:started:rate5m` | not a metric |",
      "",
      "| metric | type | labels | meaning |",
      "| --- | --- | --- | --- |",
      "| `http_requests_total` | counter | `method`, `route` | requests, e.g. `/healthz` |",
      "| `service_ready` | gauge | — | ready |",
      "| `process_*`, `nodejs_*` | various | — | defaults |",
      "",
      "## Next",
      "| `not_this` | gauge | — | other section |",
    ].join("\n");
    expect(documentedMetrics(`\n${markdown}`)).toEqual({
      metrics: [
        { name: "http_requests_total", type: "counter", labels: ["method", "route"] },
        { name: "service_ready", type: "gauge", labels: [] },
      ],
      prefixes: ["process_", "nodejs_"],
    });
  });

  it("documents every metric of this repo in docs/operations.md (the e2e test compares it with what the services expose)", () => {
    expect(documentedMetrics().metrics.length).toBeGreaterThan(20);
  });
});
