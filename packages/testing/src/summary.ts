/**
 * The closing line of a test run, from the per-package vitest JSON reports. It must never read as
 * a pass when the run failed: a package that should have reported and did not, a suite that failed
 * outside its tests (a failing beforeAll, a file that does not load, a failing global setup), an
 * unhandled error, and a skipped test that nobody declared are all failures, and each is named.
 */

/** The parts of a vitest JSON report this reads. */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites?: number;
  success: boolean;
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }>;
  }>;
}

/** A skip someone decided on: tests under this describe title (or with this title) may skip, for this reason. */
export type DeclaredSkips = Record<string, string>;

export interface TestSummary {
  passed: number;
  failed: number;
  /** Skips that were declared, with their reasons (they do not fail the run). */
  declaredSkips: Array<{ pkg: string; test: string; reason: string }>;
  /** One line per package. */
  packages: Array<{ pkg: string; passed: number; failed: number; skipped: number }>;
  /** Every failure, named: `<package>: <what>`. */
  failures: string[];
}

const SKIPPED = new Set(["skipped", "pending", "todo", "disabled"]);

function firstLine(text: string | undefined): string {
  return (
    (text ?? "")
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim() ?? ""
  );
}

/**
 * Sums `reports` (by package name) against the packages that should have reported. Every failure
 * counts once and is named; `failed` is never 0 when something went wrong.
 */
export function summarize(
  reports: ReadonlyMap<string, VitestReport>,
  expectedPackages: readonly string[],
  declared: DeclaredSkips = {},
): TestSummary {
  const summary: TestSummary = { passed: 0, failed: 0, declaredSkips: [], packages: [], failures: [] };
  const fail = (what: string) => {
    summary.failed += 1;
    summary.failures.push(what);
  };
  for (const pkg of expectedPackages) {
    if (!reports.has(pkg))
      fail(`${pkg}: no test report (its tests never ran, or its run died before writing one)`);
  }
  for (const [pkg, report] of [...reports].sort(([a], [b]) => a.localeCompare(b))) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const file of report.testResults) {
      const tests = file.assertionResults;
      for (const test of tests) {
        const name = [...test.ancestorTitles, test.title].join(" > ");
        if (test.status === "passed") passed += 1;
        else if (SKIPPED.has(test.status)) {
          skipped += 1;
          const reason = [...test.ancestorTitles, test.title].map((title) => declared[title]).find(Boolean);
          if (reason) summary.declaredSkips.push({ pkg, test: name, reason });
          else fail(`${pkg}: skipped without a declared reason: ${name}`);
        } else {
          failed += 1;
          fail(`${pkg}: ${name}`);
        }
      }
      // A file that failed with no failing test in it failed outside its tests (load error, hook).
      if (file.status === "failed" && !tests.some((t) => t.status === "failed")) {
        failed += 1;
        fail(
          `${pkg}: ${file.name} failed outside its tests: ${firstLine(file.message) || "see its output above"}`,
        );
      }
    }
    if (!report.success && failed === 0) {
      failed += 1;
      fail(`${pkg}: the run failed outside any test file (an unhandled error or its global setup)`);
    }
    summary.passed += passed;
    summary.packages.push({ pkg, passed, failed, skipped });
  }
  if (expectedPackages.length === 0 && reports.size === 0) fail("no package reported any test");
  return summary;
}

/** The summary as printed: a line per package, the declared skips, each failure, then `Tests: N passed, N failed`. */
export function formatSummary(summary: TestSummary): string[] {
  return [
    ...summary.packages.map(
      (p) =>
        `  ${p.pkg.padEnd(16)} ${p.passed} passed, ${p.failed} failed${p.skipped ? `, ${p.skipped} skipped` : ""}`,
    ),
    ...summary.declaredSkips.map((s) => `  skipped (declared) ${s.pkg}: ${s.test} — ${s.reason}`),
    ...summary.failures.map((f) => `  FAILED ${f}`),
    `Tests: ${summary.passed} passed, ${summary.failed} failed`,
  ];
}
