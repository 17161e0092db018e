/** Latency percentiles of one offered rate, in milliseconds. */
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile of ascending `sorted` values (NaN for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1]!;
}

export function latencyOf(values: readonly number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

/** Cumulative Prometheus histogram buckets: upper bound (Infinity for +Inf) → count at or below it. */
export type Buckets = ReadonlyMap<number, number>;

/** The observations made between two scrapes of one histogram: bucket by bucket, after minus before. */
export function bucketsBetween(before: Buckets, after: Buckets): Buckets {
  return new Map([...after].map(([le, count]) => [le, count - (before.get(le) ?? 0)]));
}

/**
 * The upper bound of the bucket that holds quantile q (0..1) of the observations, in the
 * histogram's unit: a bound that is never below the true value, as coarse as the buckets.
 * NaN when nothing was observed.
 */
export function bucketQuantile(buckets: Buckets, q: number): number {
  const ordered = [...buckets].sort(([a], [b]) => a - b);
  const total = ordered.at(-1)?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  const wanted = q * total;
  return ordered.find(([, count]) => count >= wanted)?.[0] ?? Number.POSITIVE_INFINITY;
}

/** Parses the buckets of histogram `name` from a Prometheus text exposition, summed over label sets. */
export function parseHistogram(exposition: string, name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  const line = new RegExp(`^${name}_bucket\\{(.*)\\}\\s+(\\S+)$`);
  for (const text of exposition.split("\n")) {
    const match = line.exec(text);
    if (!match) continue;
    const le = /(?:^|,)le="([^"]+)"/.exec(match[1]!)?.[1];
    if (le === undefined) continue;
    const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/** What one offered rate achieved, as the sustained-rate rule reads it. */
export interface StepOutcome {
  offeredPerSecond: number;
  achievedPerSecond: number;
  /** Orders accepted but not completed when the step's drain time ran out. */
  unfinished: number;
  latency: Latency;
}

/**
 * The highest offered rate the system kept up with: every accepted order finished, it completed
 * at least 95 % of the offered rate, and p99 stayed within `p99LimitMs`. 0 when none qualifies.
 */
export function highestSustained(steps: readonly StepOutcome[], p99LimitMs: number): number {
  const kept = steps.filter(
    (s) =>
      s.unfinished === 0 && s.achievedPerSecond >= 0.95 * s.offeredPerSecond && s.latency.p99 <= p99LimitMs,
  );
  return Math.max(0, ...kept.map((s) => s.offeredPerSecond));
}

/** pgbench's throughput line, e.g. "tps = 6712.3 (without initial connection time)". */
export function parsePgbenchTps(output: string): number {
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  if (!match) throw new Error(`pgbench printed no throughput line; its output was:\n${output}`);
  return Number(match[1]);
}
