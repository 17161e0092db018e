import { z } from "zod";
import { pageSchema } from "../cursor.js";
import { auditEntrySchema, auditQuery } from "../security/audit-query.js";
import type { AccessMatrix } from "../security/access.js";
import type { RouteDoc, RouteDocs } from "./route-docs.js";

/** Routes every service has besides its own: the audit trail, for operators. */
export const platformAccess = {
  "GET /api/audit": { operator: "all" },
} as const satisfies AccessMatrix;

export const platformDocs: RouteDocs<typeof platformAccess> = {
  "GET /api/audit": {
    summary: "The audit trail: who read or changed which patient's data, newest first",
    query: auditQuery,
    responses: { 200: { description: "One page of audit entries.", schema: pageSchema(auditEntrySchema) } },
  },
};

const readinessSchema = z
  .object({
    status: z.enum(["ready", "not ready"]),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() }).strict()),
  })
  .strict()
  .meta({ id: "Readiness" });

/** The probes and /metrics, outside /api: no token (unless METRICS_REQUIRE_AUTH), no rate limit. */
export const probeDocs: Readonly<Record<string, RouteDoc & { open: "always" | "unless-configured" }>> = {
  "GET /healthz": {
    summary: "Liveness: the process answers",
    open: "always",
    responses: {
      200: { description: "Alive.", schema: z.object({ status: z.literal("ok") }).strict() },
    },
  },
  "GET /readyz": {
    summary: "Readiness: database, broker, registry and consumer reachable",
    open: "always",
    responses: {
      200: { description: "Every check passed.", schema: readinessSchema },
      503: { description: "A check failed; `checks` names it and why.", schema: readinessSchema },
    },
  },
  "GET /metrics": {
    summary: "Prometheus metrics (text exposition format)",
    description:
      "Open by default; with METRICS_REQUIRE_AUTH it needs a bearer token with the operator role (401 without one, 403 for other roles).",
    open: "unless-configured",
    responses: {
      200: { description: "The metrics.", mediaType: "text/plain", schema: z.string() },
    },
  },
};
