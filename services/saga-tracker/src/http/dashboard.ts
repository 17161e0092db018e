import type { SagaRow } from "../persistence/saga-repository.js";
import type { SagaStats } from "../persistence/saga-stats.js";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const percent = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)}%`);

/** A small page for people: the stats and the latest sagas, refreshed every few seconds. */
export function dashboardPage(stats: SagaStats, recent: SagaRow[], signedInAs: string): string {
  const statusRows = Object.entries(stats.byStatus)
    .sort()
    .map(([status, count]) => `<tr><td>${escape(status)}</td><td>${count}</td></tr>`)
    .join("");
  const sagaRows = recent
    .map(
      (s) =>
        `<tr><td><a href="/api/sagas/${encodeURIComponent(s.order_id)}">${escape(s.order_id)}</a></td><td class="${escape(s.status)}">${escape(s.status)}</td>` +
        `<td>${escape(s.current_step ?? "")}</td><td>${escape(s.failure_reason ?? "")}</td><td>${s.started_at.toISOString()}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Fulfillment sagas</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin-bottom:2rem}
td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.COMPLETED{color:#176f2c}.CANCELLED{color:#8a5a00}
.COMPENSATION_FAILED{color:#b00020;font-weight:bold}.kpi{display:inline-block;margin-right:2rem}
</style></head><body>
<form method="post" action="/auth/sign-out" style="float:right">Signed in as <b>${escape(signedInAs)}</b> <button type="submit">Sign out</button></form>
<h1>Fulfillment sagas</h1>
<p><span class="kpi">Total: <b>${stats.total}</b></span><span class="kpi">Success rate: <b>${percent(stats.successRate)}</b></span>
<span class="kpi">Compensation rate: <b>${percent(stats.compensationRate)}</b></span>
<span class="kpi">Duration p50/p95/p99: <b>${stats.durationMs.p50 ?? "–"} / ${stats.durationMs.p95 ?? "–"} / ${stats.durationMs.p99 ?? "–"} ms</b></span></p>
<h2>By status</h2><table><tr><th>status</th><th>sagas</th></tr>${statusRows}</table>
<h2>Latest</h2><table><tr><th>order</th><th>status</th><th>current step</th><th>failure</th><th>started</th></tr>${sagaRows}</table>
</body></html>`;
}
