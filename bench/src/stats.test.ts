import { describe, expect, it } from "vitest";
import {
  bucketQuantile,
  bucketsBetween,
  highestSustained,
  latencyOf,
  parseHistogram,
  parsePgbenchTps,
  percentile,
  type StepOutcome,
} from "./stats.js";

describe("percentiles", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("sorts what it is given before ranking", () => {
    expect(latencyOf([30, 10, 20, 40])).toEqual({ p50: 20, p95: 40, p99: 40, max: 40 });
  });
});

describe("histograms from /metrics", () => {
  const scrape = (counts: [string, number][]) =>
    [
      "# HELP outbox_relay_lag_seconds lag",
      "# TYPE outbox_relay_lag_seconds histogram",
      ...counts.map(([le, n]) => `outbox_relay_lag_seconds_bucket{le="${le}",service="order"} ${n}`),
      `outbox_relay_lag_seconds_bucket_other{le="0.001"} 999`,
      "outbox_relay_lag_seconds_count 10",
    ].join("\n");

  it("reads the buckets of the named histogram only, summing label sets", () => {
    const buckets = parseHistogram(
      `${scrape([
        ["0.005", 2],
        ["+Inf", 3],
      ])}\n${scrape([
        ["0.005", 1],
        ["+Inf", 1],
      ])}`,
      "outbox_relay_lag_seconds",
    );
    expect([...buckets]).toEqual([
      [0.005, 3],
      [Number.POSITIVE_INFINITY, 4],
    ]);
  });

  it("finds the bucket that holds a quantile of what was observed between two scrapes", () => {
    const before = new Map([
      [0.001, 100],
      [0.01, 100],
      [0.1, 100],
      [Number.POSITIVE_INFINITY, 100],
    ]);
    const after = new Map([
      [0.001, 150],
      [0.01, 195],
      [0.1, 200],
      [Number.POSITIVE_INFINITY, 200],
    ]);
    const between = bucketsBetween(before, after);
    expect(bucketQuantile(between, 0.5)).toBe(0.001);
    expect(bucketQuantile(between, 0.9)).toBe(0.01);
    expect(bucketQuantile(between, 0.99)).toBe(0.1);
    expect(bucketQuantile(bucketsBetween(after, after), 0.5)).toBeNaN();
  });
});

describe("the highest rate sustained", () => {
  const step = (offered: number, over: Partial<StepOutcome> = {}): StepOutcome => ({
    offeredPerSecond: offered,
    achievedPerSecond: offered,
    unfinished: 0,
    latency: { p50: 10, p95: 20, p99: 30, max: 40 },
    ...over,
  });

  it("is the highest rate that finished everything in time at nearly the offered rate", () => {
    expect(highestSustained([step(1), step(100), step(300)], 250)).toBe(300);
    expect(
      highestSustained([step(100), step(300, { latency: { p50: 1, p95: 1, p99: 251, max: 1 } })], 250),
    ).toBe(100);
    expect(highestSustained([step(100), step(300, { achievedPerSecond: 280 })], 250)).toBe(100);
    expect(highestSustained([step(100), step(300, { achievedPerSecond: 285 })], 250)).toBe(300);
    expect(highestSustained([step(100, { unfinished: 1 })], 250)).toBe(0);
  });
});

describe("pgbench output", () => {
  it("reads the throughput without connection time", () => {
    expect(
      parsePgbenchTps(
        "tps = 6600.1 (including connections establishing)\ntps = 6712.345 (without initial connection time)\n",
      ),
    ).toBe(6712.345);
    expect(() => parsePgbenchTps("connection refused")).toThrow(/no throughput line/);
  });
});
