/**
 * A real Prometheus (Debian's package, as a local process) scraping the five services of a
 * running system with an operator's bearer token (METRICS_REQUIRE_AUTH=true), evaluating the
 * real rules file every second. After completed and compensated sagas, every recording rule, what
 * every alert compares and every dashboard query return series on that data; a compensation
 * burst makes the compensation-rate alert pending; and docs/operations.md's metrics table is
 * exactly what the services expose.
 */
import { join } from "node:path";
import {
  dashboardQueries,
  documentedMetrics,
  loadRules,
  startPrometheus,
  withoutThreshold,
  type PrometheusProcess,
} from "@fulfillment/monitoring";
import { freePort } from "@fulfillment/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FINAL, placeValidOrder, sagaReaching } from "./api.js";
import { SERVICES, startSystem, type RunningSystem } from "./system.js";

let system: RunningSystem;
let prometheus: PrometheusProcess;
const COMPLETED = 3;
const COMPENSATED = 4;

beforeAll(async () => {
  system = await startSystem(
    Object.fromEntries(SERVICES.map((service) => [service, { METRICS_REQUIRE_AUTH: "true" }])),
  );
  prometheus = await startPrometheus({
    port: await freePort(),
    targets: SERVICES.map((service) => ({ service, address: new URL(system.url[service]).host })),
    bearerToken: await system.token("operator"),
    logFile: join(
      import.meta.dirname,
      "..",
      "..",
      ".local",
      "e2e-logs",
      `${system.topicPrefix}prometheus.log`,
    ),
  });
  // Every service scraped before the first saga, so the counters' rise from 0 is in the data.
  await waitFor("Prometheus to scrape all five services", async () => {
    const up = await prometheus.query('sum(up{job="fulfillment"})');
    return Number(up[0]?.value[1]) === SERVICES.length;
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const completed = await Promise.all(Array.from({ length: COMPLETED }, () => placeValidOrder(system)));
  // Refused by the prescription service (a prescription drug without a prescriber): compensated.
  const compensated = await Promise.all(
    Array.from({ length: COMPENSATED }, () =>
      placeValidOrder(system, {
        prescriberId: null,
        items: [{ sku: "AMOX-500", quantity: 1, unitPriceCents: 1299 }],
      }),
    ),
  );
  await Promise.all([...completed, ...compensated].map((id) => sagaReaching(system, id, FINAL)));
  // Until Prometheus has scraped every outcome, and evaluated the rules over it.
  await waitFor("Prometheus to scrape every saga's outcome", async () => {
    const outcomes = await prometheus.query("sum(saga_outcomes_total)");
    return Number(outcomes[0]?.value[1]) === COMPLETED + COMPENSATED;
  });
  // A few more scrapes and rule evaluations over the data.
  await new Promise((r) => setTimeout(r, 3_000));
}, 240_000);
/** Polls until `done` holds (expect.poll works only inside a test, not in beforeAll). */
async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}; see .local/e2e-logs/`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

afterAll(async () => {
  await prometheus?.stop();
  await system?.stop();
});

/** The series an expression returns now, and how many of them have a number (not NaN) as value. */
async function evaluate(expr: string): Promise<{ expr: string; series: number; finite: number }> {
  const result = await prometheus.query(expr);
  return {
    expr,
    series: result.length,
    finite: result.filter((r) => Number.isFinite(Number(r.value[1]))).length,
  };
}

const empty = (results: Array<{ series: number; finite: number }>) =>
  results.filter((r) => r.series === 0 || r.finite === 0);

describe("Prometheus over a running system", () => {
  it("scrapes all five services through their operator-only /metrics, every reading succeeding", async () => {
    // Over the last seconds: on a busy machine one scrape of the five may pass its 1 s timeout.
    const up = await prometheus.query('max_over_time(up{job="fulfillment"}[10s])');
    expect(Object.fromEntries(up.map((s) => [s.metric.service, s.value[1]]))).toEqual(
      Object.fromEntries(SERVICES.map((service) => [service, "1"])),
    );
    // Every reading at scrape time (database queries, broker offsets) succeeded on this data.
    expect((await prometheus.query("sum(metric_read_failures_total)"))[0]?.value[1]).toBe("0");
  });

  it("returns series with a value for every recording rule", async () => {
    const { recording } = loadRules();
    expect(recording.length).toBeGreaterThan(0);
    expect(empty(await Promise.all(recording.map((rule) => evaluate(rule.record))))).toEqual([]);
  });

  it("returns series for what every alert compares (its expression without the threshold)", async () => {
    const { alerts } = loadRules();
    const compared = alerts.map((alert) => withoutThreshold(alert.expr) ?? alert.expr);
    expect(empty(await Promise.all(compared.map(evaluate)))).toEqual([]);
  });

  it("returns series with a value for every query of the Grafana dashboard", async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(10);
    expect(empty(await Promise.all(queries.map((q) => evaluate(q.expr))))).toEqual([]);
  });

  it("computes the saga rates from the outcomes the tracker counted", async () => {
    const value = async (expr: string) => Number((await prometheus.query(expr))[0]?.value[1]);
    expect(await value("saga:compensation_ratio:rate5m")).toBeCloseTo(
      COMPENSATED / (COMPLETED + COMPENSATED),
      5,
    );
    expect(await value("saga:success_ratio:rate5m")).toBeCloseTo(COMPLETED / (COMPLETED + COMPENSATED), 5);
    expect(await value('saga:step_failure_ratio:rate5m{step="prescription"}')).toBeCloseTo(
      COMPENSATED / (COMPLETED + COMPENSATED),
      5,
    );
  });

  it("has the compensation-rate alert pending (or firing) after the burst of compensations", async () => {
    await expect
      .poll(
        async () =>
          (await prometheus.alerts()).find((a) => a.labels.alertname === "SagaCompensationRateHigh")?.state,
        { timeout: 30_000, interval: 500 },
      )
      .toMatch(/^(pending|firing)$/);
    const others = (await prometheus.alerts()).map((a) => a.labels.alertname);
    expect(others).not.toContain("ServiceDown");
    expect(others).not.toContain("ServiceNotReady");
  });

  it("finds every exposed metric in docs/operations.md with its type and labels, and nothing documented that is not exposed", async () => {
    const { metrics, prefixes } = documentedMetrics();
    const metadata = await prometheus.metadata();
    const exposed = Object.keys(metadata).filter(
      (name) =>
        !prefixes.some((prefix) => name.startsWith(prefix)) && !name.startsWith("scrape_") && name !== "up",
    );
    const labelsOf = async (name: string) => {
      const series = await prometheus.query(`{__name__=~"${name}(_bucket|_sum|_count)?",job="fulfillment"}`);
      const names = new Set(series.flatMap((s) => Object.keys(s.metric)));
      for (const own of ["__name__", "job", "instance", "service", "le"]) names.delete(own);
      return [...names].sort();
    };
    const actual = await Promise.all(
      exposed
        .sort()
        .map(async (name) => ({ name, type: metadata[name]?.[0]?.type, labels: await labelsOf(name) })),
    );
    const documented = metrics
      .map((m) => ({ name: m.name, type: m.type, labels: [...m.labels].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(documented).toEqual(actual);
  });
});
