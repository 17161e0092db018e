import { Gauge, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { readAtScrape } from "./scrape-reading.js";

describe("a metric read at each scrape", () => {
  it("keeps its last value and counts the failure when a reading fails, and /metrics still answers", async () => {
    const registry = new Registry();
    let reachable = true;
    let rows = 3;
    new Gauge({
      name: "rows",
      help: "rows",
      registers: [registry],
      collect: readAtScrape(registry, "rows", async (gauge: Gauge) => {
        if (!reachable) throw new Error("connection refused");
        gauge.set(await Promise.resolve(rows));
      }),
    });
    const scrape = async () => {
      const text = await registry.metrics();
      return {
        rows: Number(/^rows (\S+)$/m.exec(text)?.[1]),
        failures: Number(/^metric_read_failures_total\{metric="rows"\} (\S+)$/m.exec(text)?.[1]),
      };
    };
    expect(await scrape()).toEqual({ rows: 3, failures: 0 });
    reachable = false;
    rows = 7;
    expect(await scrape()).toEqual({ rows: 3, failures: 1 });
    reachable = true;
    expect(await scrape()).toEqual({ rows: 7, failures: 1 });
  });
});
