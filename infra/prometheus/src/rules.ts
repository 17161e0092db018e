import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

/** infra/prometheus, whether this runs from src/ or dist/. */
export const PROMETHEUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const RULES_FILE = join(PROMETHEUS_DIR, "rules.yml");
export const RULES_TEST_FILE = join(PROMETHEUS_DIR, "rules.test.yml");
export const REPO_ROOT = resolve(PROMETHEUS_DIR, "..", "..");

const recordingRule = z.object({ record: z.string(), expr: z.string() }).strict();
const alertRule = z
  .object({
    alert: z.string(),
    expr: z.string(),
    for: z.string().optional(),
    labels: z.object({ severity: z.enum(["critical", "warning", "info"]) }).catchall(z.string()),
    annotations: z.object({ summary: z.string(), description: z.string(), runbook_url: z.string() }).strict(),
  })
  .strict();
const rulesFile = z.object({
  groups: z.array(
    z.object({ name: z.string(), rules: z.array(z.union([recordingRule, alertRule])) }).strict(),
  ),
});

export type RecordingRule = z.infer<typeof recordingRule>;
export type AlertRule = z.infer<typeof alertRule>;

/** The rules of a rules file, recording and alert rules apart. */
export function loadRules(file = RULES_FILE): { recording: RecordingRule[]; alerts: AlertRule[] } {
  const parsed = rulesFile.safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(`${file} is not a rules file this repo understands: ${z.prettifyError(parsed.error)}`);
  const rules = parsed.data.groups.flatMap((group) => group.rules);
  return {
    recording: rules.filter((rule): rule is RecordingRule => "record" in rule),
    alerts: rules.filter((rule): rule is AlertRule => "alert" in rule),
  };
}

/**
 * An alert's expression without its final threshold (`… > 0.1` → `…`): what the alert compares,
 * which should return series on a running system whether or not the alert fires. Null when the
 * expression does not end with a comparison against a number.
 */
export function withoutThreshold(expr: string): string | null {
  const match = /^([\s\S]+?)\s*(?:>=|<=|==|!=|>|<)\s*-?[\d.]+$/.exec(expr.trim());
  return match?.[1] ?? null;
}

/** Where an alert's runbook is: its heading's anchor in docs/operations.md. */
export function runbookUrlOf(alert: string): string {
  return `docs/operations.md#${alert.toLowerCase()}`;
}
