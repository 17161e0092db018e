#!/usr/bin/env node
/**
 * Prints the closing summary of `pnpm test` from .local/test-results/*.json and exits 1 unless
 * every expected package reported and nothing failed. Usage: node packages/testing/dist/cli/summarize.js
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatSummary, summarize, type DeclaredSkips, type VitestReport } from "../summary.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const resultsDir = join(root, ".local", "test-results");

/** The workspace's packages that have a test script, by the name their report is written under. */
function packagesWithTests(): string[] {
  const parents = ["packages", "services"].map((dir) => join(root, dir));
  const dirs = [
    ...parents.flatMap((parent) => readdirSync(parent).map((name) => join(parent, name))),
    join(root, "infra", "local"),
    join(root, "e2e"),
  ];
  return dirs
    .filter((dir) => {
      const manifest = join(dir, "package.json");
      if (!existsSync(manifest)) return false;
      const { scripts } = JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: Record<string, string> };
      return scripts?.test !== undefined;
    })
    .map((dir) => basename(dir));
}

const reports = new Map<string, VitestReport>(
  (existsSync(resultsDir) ? readdirSync(resultsDir) : [])
    .filter((file) => file.endsWith(".json"))
    .map((file) => [
      file.replace(/\.json$/, ""),
      JSON.parse(readFileSync(join(resultsDir, file), "utf8")) as VitestReport,
    ]),
);
const declared = JSON.parse(
  readFileSync(join(root, "scripts", "declared-skips.json"), "utf8"),
) as DeclaredSkips;
const summary = summarize(reports, packagesWithTests(), declared);
for (const line of formatSummary(summary)) console.log(line);
if (summary.failed > 0) console.log("Fix or rerun what is named above; each package's output is above it.");
process.exit(summary.failed > 0 ? 1 : 0);
