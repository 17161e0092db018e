/** The Grafana dashboard as provisioning loads it: every panel queries the provisioned datasource. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DASHBOARD_FILE, dashboardQueries, GRAFANA_DIR } from "./dashboard.js";

describe("the Grafana dashboard", () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, "utf8")) as {
    panels: Array<{ title: string; datasource: { uid: string }; targets?: unknown[] }>;
  };
  const provisioned = parse(
    readFileSync(join(GRAFANA_DIR, "provisioning", "datasources", "prometheus.yml"), "utf8"),
  ) as {
    datasources: Array<{ uid: string }>;
  };

  it("has a query in every panel, each on the provisioned datasource", () => {
    const uid = provisioned.datasources[0]?.uid;
    expect(dashboard.panels.filter((p) => (p.targets ?? []).length === 0).map((p) => p.title)).toEqual([]);
    expect(dashboard.panels.filter((p) => p.datasource.uid !== uid).map((p) => p.title)).toEqual([]);
  });

  it("uses no dashboard variables, so the e2e test can evaluate each query as it is", () => {
    expect(dashboardQueries().filter((q) => q.expr.includes("$"))).toEqual([]);
  });

  it("covers what an operator watches: outcomes, durations, compensations, step failures, lags, dead letters, HTTP", () => {
    const all = dashboardQueries()
      .map((q) => q.expr)
      .join("\n");
    for (const metric of [
      "saga:outcomes:rate5m",
      "saga_duration_seconds_bucket",
      "saga:compensation_ratio:rate5m",
      "saga_step_failures_total",
      "outbox:relay_lag_seconds:p99_5m",
      "consumer_lag_messages",
      "consumer_dead_letters_total",
      "http_requests_total",
      "http_request_duration_seconds_bucket",
    ])
      expect(all).toContain(metric);
  });
});
