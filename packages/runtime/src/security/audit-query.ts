import type { Knex } from "knex";
import { z } from "zod";
import { cursorParam, encodeCursor, limitParam } from "../cursor.js";
import { parseRequest } from "../problems.js";
import type { RouteHandler } from "./access.js";
import type { AuditOutcome } from "./audit.js";

const OUTCOMES: [AuditOutcome, ...AuditOutcome[]] = [
  "ALLOWED",
  "UNAUTHENTICATED",
  "DENIED",
  "NOT_FOUND",
  "REJECTED",
  "THROTTLED",
  "FAILED",
];

export const auditQuery = z
  .object({
    patientId: z.string().min(1).max(200).optional(),
    actor: z.string().min(1).max(200).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: limitParam(50, 500),
    cursor: cursorParam
      .refine(
        (c) => /^\d{1,18}$/.test(c.id),
        "is not a cursor this API returned; use nextCursor from the previous page",
      )
      .optional(),
  })
  .strict();

/** One audit entry as `GET /api/audit` shows it. */
export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.string().nullable().meta({ description: "The token's subject; null when unauthenticated." }),
    actorRoles: z.array(z.string()),
    clientAddress: z.string().nullable(),
    method: z.string(),
    route: z.string().nullable().meta({ description: "The matrix route, e.g. `GET /api/orders/:orderId`." }),
    path: z.string(),
    patientIds: z.array(z.string()).meta({ description: "The patients whose data the request touched." }),
    status: z.number().int(),
    outcome: z.enum(OUTCOMES),
  })
  .strict()
  .meta({ id: "AuditEntry" });

interface AuditRow {
  id: string;
  at: Date;
  actor: string | null;
  actor_roles: string[];
  client_address: string | null;
  method: string;
  route: string | null;
  path: string;
  patient_ids: string[];
  status: number;
  outcome: AuditOutcome;
}

/** `GET /api/audit`: the audit trail, newest first, filtered by patient, actor, outcome and time. */
export function auditQueryHandler(knex: Knex): RouteHandler {
  return async (req, res) => {
    const q = parseRequest(auditQuery, req.query);
    const query = knex<AuditRow>("audit_log")
      .orderBy([
        { column: "at", order: "desc" },
        { column: "id", order: "desc" },
      ])
      .limit(q.limit + 1);
    if (q.patientId) query.whereRaw("patient_ids @> ARRAY[?]::text[]", [q.patientId]);
    if (q.actor) query.where({ actor: q.actor });
    if (q.outcome) query.where({ outcome: q.outcome });
    if (q.since) query.where("at", ">=", new Date(q.since));
    if (q.until) query.where("at", "<", new Date(q.until));
    if (q.cursor) query.whereRaw("(at, id) < (?, ?::bigint)", [q.cursor.at, q.cursor.id]);
    const rows = await query;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    res.json({
      items: page.map((r): z.infer<typeof auditEntrySchema> => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actor,
        actorRoles: r.actor_roles,
        clientAddress: r.client_address,
        method: r.method,
        route: r.route,
        path: r.path,
        patientIds: r.patient_ids,
        status: r.status,
        outcome: r.outcome,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
    });
  };
}
