import { describe, expect, it } from "vitest";
import { formatSummary, summarize, type VitestReport } from "./summary.js";

type Test = VitestReport["testResults"][number]["assertionResults"][number];
const test = (title: string, status: string, ancestorTitles: string[] = ["suite"]): Test => ({
  ancestorTitles,
  title,
  status,
});
function report(
  files: Array<{ name?: string; status?: string; message?: string; tests: Test[] }>,
  success?: boolean,
) {
  const tests = files.flatMap((f) => f.tests);
  const numFailedTests = tests.filter((t) => t.status === "failed").length;
  return {
    numPassedTests: tests.filter((t) => t.status === "passed").length,
    numFailedTests,
    success: success ?? (numFailedTests === 0 && files.every((f) => f.status !== "failed")),
    testResults: files.map((f) => ({
      name: f.name ?? "/repo/pkg/src/a.test.ts",
      status: f.status ?? (f.tests.some((t) => t.status === "failed") ? "failed" : "passed"),
      message: f.message ?? "",
      assertionResults: f.tests,
    })),
  } satisfies VitestReport;
}
const closing = (lines: string[]) => lines.at(-1);

describe("summarize", () => {
  it("passes a run where every expected package reported and every test passed", () => {
    const summary = summarize(
      new Map([["a", report([{ tests: [test("one", "passed"), test("two", "passed")] }])]]),
      ["a"],
    );
    expect(summary.failed).toBe(0);
    expect(closing(formatSummary(summary))).toBe("Tests: 2 passed, 0 failed");
  });

  it("fails, naming it, a package that should have reported and did not (turbo stopped before it, or it died)", () => {
    const summary = summarize(new Map([["a", report([{ tests: [test("one", "passed")] }])]]), ["a", "b"]);
    expect(summary.failed).toBe(1);
    expect(summary.failures).toEqual([expect.stringMatching(/^b: no test report/)]);
    expect(closing(formatSummary(summary))).toBe("Tests: 1 passed, 1 failed");
  });

  it("names each failing test with its describe path", () => {
    const summary = summarize(
      new Map([["a", report([{ tests: [test("breaks", "failed", ["outer", "inner"])] }])]]),
      ["a"],
    );
    expect(summary.failures).toEqual(["a: outer > inner > breaks"]);
    expect(formatSummary(summary)).toContain("  FAILED a: outer > inner > breaks");
  });

  it("counts a file that failed outside its tests (a failing beforeAll or a file that does not load)", () => {
    const failedHook = report([
      {
        status: "failed",
        message: "Error: hook timed out\n at x",
        tests: [test("one", "skipped"), test("two", "skipped")],
      },
    ]);
    const summary = summarize(new Map([["a", failedHook]]), ["a"], { suite: "never declared for this" });
    expect(summary.failures).toContain(
      "a: /repo/pkg/src/a.test.ts failed outside its tests: Error: hook timed out",
    );
    expect(summary.failed).toBeGreaterThan(0);
  });

  it("counts an unhandled error or a failing global setup, where no test or file failed", () => {
    const summary = summarize(new Map([["a", report([{ tests: [test("one", "passed")] }], false)]]), ["a"]);
    expect(summary.failed).toBe(1);
    expect(summary.failures).toEqual([expect.stringMatching(/^a: the run failed outside any test file/)]);
  });

  it("fails a skipped test nobody declared, and lets a declared one pass with its reason printed", () => {
    const reports = new Map([
      [
        "a",
        report([
          { tests: [test("quiet skip", "skipped", ["x"]), test("known skip", "skipped", ["needs sasl"])] },
        ]),
      ],
    ]);
    const summary = summarize(reports, ["a"], {
      "needs sasl": "the broker has no SASL under testcontainers",
    });
    expect(summary.failures).toEqual(["a: skipped without a declared reason: x > quiet skip"]);
    expect(formatSummary(summary)).toContain(
      "  skipped (declared) a: needs sasl > known skip — the broker has no SASL under testcontainers",
    );
  });

  it("never reads as a pass when nothing reported at all", () => {
    expect(summarize(new Map(), []).failed).toBe(1);
    expect(summarize(new Map(), ["a", "b"]).failed).toBe(2);
  });
});
