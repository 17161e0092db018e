import type { Knex } from "knex";
import { saga } from "../domain/saga-definition.js";

export interface SagaStats {
  total: number;
  byStatus: Record<string, number>;
  /** Completed among finished sagas (completed, cancelled or needing an operator). */
  successRate: number | null;
  /** Sagas that needed compensation among those that have a verdict. */
  compensationRate: number | null;
  durationMs: { p50: number | null; p95: number | null; p99: number | null };
}

export async function sagaStats(knex: Knex): Promise<SagaStats> {
  const counts: Array<{ status: string; count: string }> = await knex("sagas")
    .select("status")
    .count("* as count")
    .groupBy("status");
  const byStatus = Object.fromEntries(counts.map((c) => [c.status, Number(c.count)]));
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const completed = byStatus.COMPLETED ?? 0;
  const finished = completed + (byStatus.CANCELLED ?? 0) + (byStatus.COMPENSATION_FAILED ?? 0);
  const pending = saga.steps.reduce((sum, step) => sum + (byStatus[step.pending] ?? 0), 0);
  const failed = total - completed - pending;
  const durations = (
    await knex.raw<{ rows: Array<{ p50: number | null; p95: number | null; p99: number | null }> }>(`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99
    FROM (SELECT extract(epoch FROM completed_at - started_at) * 1000 AS d FROM sagas WHERE status = 'COMPLETED') t`)
  ).rows[0];
  const round = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(Number(v));
  return {
    total,
    byStatus,
    successRate: finished > 0 ? completed / finished : null,
    compensationRate: completed + failed > 0 ? failed / (completed + failed) : null,
    durationMs: { p50: round(durations?.p50), p95: round(durations?.p95), p99: round(durations?.p99) },
  };
}
