import { HttpProblem } from "@fulfillment/runtime";
import type { Express } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { loadFacts, type SagaRow } from "../persistence/saga-repository.js";
import { sagaStats } from "../persistence/saga-stats.js";
import { dashboardPage } from "./dashboard.js";
import { sagaView } from "./saga-view.js";

const STATUSES = [
  "PENDING_PRESCRIPTION",
  "PENDING_INVENTORY_RESERVATION",
  "PENDING_SHIPMENT",
  "COMPLETED",
  "CANCELLED_PRESCRIPTION_FAILED",
  "CANCELLED_INVENTORY_FAILED",
  "CANCELLED_SHIPMENT_FAILED",
  "CANCELLED",
  "COMPENSATION_FAILED",
] as const;

const listQuery = z.object({
  status: z.enum(STATUSES).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

/** Keyset paging over (started_at, order_id): stable while new sagas arrive. */
function decodeCursor(cursor: string): { startedAt: string; orderId: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString()) as {
      startedAt: string;
      orderId: string;
    };
    if (typeof parsed.startedAt === "string" && typeof parsed.orderId === "string") return parsed;
  } catch {
    // fall through
  }
  throw new HttpProblem(
    400,
    "INVALID_CURSOR",
    "cursor is not one this API returned; use nextCursor from the previous page.",
  );
}

export function sagaRoutes(knex: Knex): (app: Express) => void {
  return (app) => {
    app.get("/api/sagas/stats", async (_req, res) => {
      res.json(await sagaStats(knex));
    });

    app.get("/api/sagas/:orderId", async (req, res) => {
      const row = (await knex("sagas").where({ order_id: req.params.orderId }).first()) as
        SagaRow | undefined;
      if (!row)
        throw new HttpProblem(
          404,
          "SAGA_NOT_FOUND",
          `No saga for order ${req.params.orderId} yet; it appears once the order's first event is consumed.`,
        );
      res.json(sagaView(row, await loadFacts(knex, row.order_id)));
    });

    app.get("/api/sagas", async (req, res) => {
      const parsed = listQuery.safeParse(req.query);
      if (!parsed.success) {
        throw new HttpProblem(
          400,
          "INVALID_QUERY",
          parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        );
      }
      const { status, since, limit, cursor } = parsed.data;
      const query = knex("sagas")
        .orderBy([
          { column: "started_at", order: "desc" },
          { column: "order_id", order: "desc" },
        ])
        .limit(limit + 1);
      if (status) query.where({ status });
      if (since) query.where("started_at", ">=", new Date(since));
      if (cursor) {
        const after = decodeCursor(cursor);
        query.whereRaw("(started_at, order_id) < (?, ?)", [new Date(after.startedAt), after.orderId]);
      }
      const rows = (await query) as SagaRow[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      res.json({
        items: page.map((r) => ({
          orderId: r.order_id,
          status: r.status,
          currentStep: r.current_step,
          failureReason: r.failure_reason,
          startedAt: r.started_at.toISOString(),
          completedAt: r.completed_at?.toISOString() ?? null,
        })),
        nextCursor:
          rows.length > limit && last
            ? Buffer.from(
                JSON.stringify({ startedAt: last.started_at.toISOString(), orderId: last.order_id }),
              ).toString("base64url")
            : null,
      });
    });

    app.get("/", async (_req, res) => {
      const recent = (await knex("sagas").orderBy("started_at", "desc").limit(25)) as SagaRow[];
      res.type("html").send(dashboardPage(await sagaStats(knex), recent));
    });
  };
}
