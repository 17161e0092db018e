import { Counter, type Registry } from "prom-client";

interface Failures {
  counter: Counter<"metric">;
  /** The readings of the scrape under way: the counter reports once they are done. */
  inFlight: Set<Promise<void>>;
}
const failuresOf = new WeakMap<Registry, Failures>();

function failures(registry: Registry): Failures {
  let found = failuresOf.get(registry);
  if (!found) {
    const inFlight = new Set<Promise<void>>();
    const counter = new Counter({
      name: "metric_read_failures_total",
      help: "Readings of a scraped metric that failed (its last values were kept), by metric.",
      labelNames: ["metric"],
      registers: [registry],
      async collect() {
        // Every metric's collect starts in the same tick: wait for this scrape's readings.
        await Promise.resolve();
        await Promise.allSettled([...inFlight]);
      },
    });
    failuresOf.set(registry, (found = { counter, inFlight }));
  }
  return found;
}

/**
 * A metric's collect function for a reading that can fail (a database query, a broker call): a
 * failed reading keeps the metric's last values and counts in `metric_read_failures_total`, so
 * one unreachable dependency never fails the whole /metrics — Prometheus's `up` stays 1 and
 * `service_ready` says what is wrong.
 */
export function readAtScrape<M>(
  registry: Registry,
  name: string,
  read: (metric: M) => Promise<void>,
): (this: M) => Promise<void> {
  const { counter, inFlight } = failures(registry);
  counter.inc({ metric: name }, 0);
  return function (this: M) {
    const reading = read(this).catch(() => counter.inc({ metric: name }));
    inFlight.add(reading);
    return reading.finally(() => inFlight.delete(reading));
  };
}
