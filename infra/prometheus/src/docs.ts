import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./rules.js";

export const OPERATIONS_DOC = join(REPO_ROOT, "docs", "operations.md");

/** The text of one `## ` section of a markdown document, without its heading. */
export function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section: add it back to docs/operations.md`);
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

export interface DocumentedMetric {
  name: string;
  type: string;
  labels: string[];
}

/**
 * The metrics table of docs/operations.md's "Metrics" section (the table whose first column is
 * "metric"): a row per metric, its name, type and labels in backticks (`—` for none). A row
 * whose names end in `*` names families (process_*) and comes back as prefixes.
 */
export function documentedMetrics(markdown = readFileSync(OPERATIONS_DOC, "utf8")): {
  metrics: DocumentedMetric[];
  prefixes: string[];
} {
  const metrics: DocumentedMetric[] = [];
  const prefixes: string[] = [];
  let inTable = false;
  for (const line of section(markdown, "Metrics").split("\n")) {
    if (/^\|\s*metric\s*\|/.test(line)) inTable = true;
    if (!line.startsWith("|")) inTable = false;
    if (!inTable) continue;
    const cells = line.split("|").map((cell) => cell.trim());
    const names = [...(cells[1] ?? "").matchAll(/`([a-z_:*]+)`/g)].map((m) => m[1]!);
    if (names.length > 0 && names.every((name) => name.endsWith("*"))) {
      prefixes.push(...names.map((name) => name.slice(0, -1)));
      continue;
    }
    const name = names[0];
    if (!name) continue;
    const labels = [...(cells[3] ?? "").matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
    metrics.push({ name, type: cells[2] ?? "", labels });
  }
  return { metrics, prefixes };
}

/** The alerts that have a runbook: the `### ` headings of the "Alerts and runbooks" section. */
export function runbookHeadings(markdown = readFileSync(OPERATIONS_DOC, "utf8")): string[] {
  return [...section(markdown, "Alerts and runbooks").matchAll(/^### (\S+)$/gm)].map((m) => m[1]!);
}
