/**
 * The rules file as promtool sees it (Debian's prometheus package): valid, and every alert
 * unit-tested both firing and not firing by rules.test.yml. Each alert names a severity, a
 * summary, a description and its runbook in docs/operations.md.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { join } from "node:path";
import {
  loadRules,
  PROMETHEUS_DIR,
  runbookUrlOf,
  RULES_FILE,
  RULES_TEST_FILE,
  withoutThreshold,
} from "./rules.js";

const run = promisify(execFile);

/** Runs promtool; resolves with its output, or fails the test with it. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run("promtool", args);
    return stdout + stderr;
  } catch (error) {
    const {
      stdout = "",
      stderr = "",
      message,
    } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `promtool ${args.join(" ")} failed (install it with apt-get install -y prometheus if it is missing):\n${stdout}${stderr || message}`,
    );
  }
}

describe("the alert and recording rules", () => {
  const { alerts, recording } = loadRules();

  it("pass promtool check rules", async () => {
    expect(await promtool("check", "rules", RULES_FILE)).toContain(
      `SUCCESS: ${alerts.length + recording.length} rules found`,
    );
  });

  it("are what docker-compose's Prometheus config loads, and that config passes promtool check config", async () => {
    const output = await promtool("check", "config", join(PROMETHEUS_DIR, "prometheus.yml"));
    expect(output).toContain("SUCCESS: 1 rule files found");
    expect(output).toContain(`SUCCESS: ${alerts.length + recording.length} rules found`);
  });

  it("pass their promtool unit tests", async () => {
    expect(await promtool("test", "rules", RULES_TEST_FILE)).toContain("SUCCESS");
  });

  it("have a unit test of every alert firing and one of it not firing", () => {
    const tests = (
      parse(readFileSync(RULES_TEST_FILE, "utf8")) as {
        tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
      }
    ).tests.flatMap((test) => test.alert_rule_test ?? []);
    const cases = (alert: string, firing: boolean) =>
      tests.filter((t) => t.alertname === alert && (t.exp_alerts ?? []).length > 0 === firing).length;
    const untested = alerts
      .map((a) => a.alert)
      .filter((alert) => cases(alert, true) === 0 || cases(alert, false) === 0);
    expect(untested).toEqual([]);
  });

  it("each alert has a threshold to strip (the e2e test evaluates what it compares) and its runbook's address", () => {
    const wrong = alerts.flatMap((a) => [
      ...(withoutThreshold(a.expr) === null ? [`${a.alert}: expr does not end with a comparison`] : []),
      ...(a.annotations.runbook_url === runbookUrlOf(a.alert)
        ? []
        : [`${a.alert}: runbook_url should be ${runbookUrlOf(a.alert)}`]),
    ]);
    expect(wrong).toEqual([]);
  });
});

describe("withoutThreshold", () => {
  it("strips the final comparison only", () => {
    expect(withoutThreshold("sum by (a) (rate(x[5m])) > 0.10")).toBe("sum by (a) (rate(x[5m]))");
    expect(withoutThreshold('up{job="f"} == 0')).toBe('up{job="f"}');
    expect(withoutThreshold("rate(x[5m])")).toBeNull();
  });
});
