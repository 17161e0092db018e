import type { Knex } from "knex";
import { readAtScrape } from "@fulfillment/runtime";
import { Gauge, type Registry } from "prom-client";
import { isFinal, SAGA_STATUSES } from "../domain/saga-definition.js";

/** The statuses of sagas not over yet, and the one that waits for an operator. */
const OPEN_STATUSES = [...SAGA_STATUSES.filter((status) => !isFinal(status)), "COMPENSATION_FAILED"];

/**
 * Gauges read from the tracker's database when Prometheus scrapes: sagas open by status, those
 * needing an operator, and those past their deadline. Each is one query on an index
 * (sagas_by_status, sagas_due) that reads only open sagas, never the finished ones.
 */
export function sagaGauges(registry: Registry, knex: Knex, now: () => Date): void {
  const registers = [registry];
  new Gauge({
    name: "sagas_open",
    help: "Sagas not over yet, or waiting for an operator (COMPENSATION_FAILED), by status.",
    labelNames: ["status"],
    registers,
    collect: readAtScrape(registry, "sagas_open", async (gauge: Gauge<"status">) => {
      const rows: Array<{ status: string; count: string }> = await knex("sagas")
        .whereIn("status", OPEN_STATUSES)
        .select("status")
        .count("* as count")
        .groupBy("status");
      for (const status of OPEN_STATUSES)
        gauge.set({ status }, Number(rows.find((row) => row.status === status)?.count ?? 0));
    }),
  });
  new Gauge({
    name: "sagas_needing_operator",
    help: "Sagas whose compensation cannot finish (COMPENSATION_FAILED) until an operator acts.",
    registers,
    collect: readAtScrape(registry, "sagas_needing_operator", async (gauge: Gauge) => {
      const row = await knex("sagas")
        .where({ status: "COMPENSATION_FAILED" })
        .count<{ count: string }>("* as count")
        .first();
      gauge.set(Number(row?.count ?? 0));
    }),
  });
  const pastDeadline = async () =>
    (await knex("sagas")
      .where("deadline_at", "<=", now())
      .select(knex.raw("count(*) AS count"), knex.raw("min(deadline_at) AS oldest"))
      .first()) as { count: string; oldest: Date | null } | undefined;
  new Gauge({
    name: "sagas_past_deadline",
    help: "Open sagas whose step or compensation deadline has passed (the deadline scanner acts on them within seconds).",
    registers,
    collect: readAtScrape(registry, "sagas_past_deadline", async (gauge: Gauge) => {
      gauge.set(Number((await pastDeadline())?.count ?? 0));
    }),
  });
  new Gauge({
    name: "saga_deadline_overdue_seconds",
    help: "How long ago the deadline of the most overdue open saga passed (0 when none is overdue).",
    registers,
    collect: readAtScrape(registry, "saga_deadline_overdue_seconds", async (gauge: Gauge) => {
      const oldest = (await pastDeadline())?.oldest;
      gauge.set(oldest ? Math.max(0, (now().getTime() - new Date(oldest).getTime()) / 1000) : 0);
    }),
  });
}
