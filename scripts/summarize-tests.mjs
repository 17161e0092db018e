// Sums the per-package vitest JSON reports into one closing line: "Tests: N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(import.meta.dirname, "..", ".local", "test-results");
const reports = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
let passed = 0,
  failed = 0,
  skipped = 0;
for (const file of reports) {
  const r = JSON.parse(readFileSync(join(dir, file), "utf8"));
  passed += r.numPassedTests;
  // A file that fails to load is a failed suite with no failed test in it: count it once.
  failed += r.numFailedTests > 0 ? r.numFailedTests : (r.numFailedTestSuites ?? 0);
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  console.log(
    `  ${file.replace(/\.json$/, "").padEnd(16)} ${r.numPassedTests} passed, ${r.numFailedTests} failed`,
  );
}
if (reports.length === 0) failed = 1;
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
