// After `stryker run` (pnpm mutation): the mutation score of each mutated file, from the JSON
// report. Fails when any file is under the threshold, so no module hides behind the average.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const REPORT = join(import.meta.dirname, "..", ".local", "mutation", "report.json");
const THRESHOLD = 85;

const report = JSON.parse(readFileSync(REPORT, "utf8"));
let failing = 0;
for (const [file, { mutants }] of Object.entries(report.files)) {
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count("Killed", "Timeout");
  const undetected = count("Survived", "NoCoverage");
  const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
  const low = score < THRESHOLD;
  if (low) failing++;
  console.log(`${low ? "LOW" : "ok "} ${score.toFixed(2).padStart(6)} %  ${file} (${undetected} survived)`);
}
if (failing > 0) {
  console.error(`${failing} file(s) under ${THRESHOLD} %: see ${REPORT.replace(".json", ".html")}`);
  process.exit(1);
}
