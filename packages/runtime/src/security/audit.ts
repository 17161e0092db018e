import type { RequestHandler, Response } from "express";
import type { Knex } from "knex";
import type { Logger } from "pino";
import { Counter, type Registry } from "prom-client";
import { callerOf } from "./authenticate.js";

/**
 * The audit trail (HIPAA §164.312(b)): one row per API request — who, from where, which route,
 * which patients' data it touched, and the outcome. Append-only: a trigger refuses UPDATE,
 * DELETE and TRUNCATE, so not even the service can rewrite history.
 */
export const auditMigrations: Record<string, Knex.Migration> = {
  "010_audit_log": {
    async up(knex) {
      await knex.raw(`
        CREATE TABLE audit_log (
          id bigserial PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT now(),
          actor text,
          actor_roles text[] NOT NULL DEFAULT '{}',
          client_address text,
          method text NOT NULL,
          route text,
          path text NOT NULL,
          patient_ids text[] NOT NULL DEFAULT '{}',
          status integer NOT NULL,
          outcome text NOT NULL
        );
        CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
        CREATE INDEX audit_log_by_patient ON audit_log USING gin (patient_ids);
        CREATE INDEX audit_log_by_actor ON audit_log (actor, at DESC);
        CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
          FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
      `);
    },
    async down(knex) {
      await knex.raw("DROP TABLE IF EXISTS audit_log; DROP FUNCTION IF EXISTS audit_log_is_append_only()");
    },
  },
};

/** What an audit row says about the outcome of a request. */
export type AuditOutcome =
  "ALLOWED" | "UNAUTHENTICATED" | "DENIED" | "NOT_FOUND" | "REJECTED" | "THROTTLED" | "FAILED";

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return "ALLOWED";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "THROTTLED";
  if (status < 500) return "REJECTED";
  return "FAILED";
}

interface RequestNotes {
  route?: string;
  patientIds: Set<string>;
}
const notes = new WeakMap<Response, RequestNotes>();
const notesOf = (res: Response): RequestNotes => {
  let found = notes.get(res);
  if (!found) notes.set(res, (found = { patientIds: new Set() }));
  return found;
};

/** Records which route (its matrix key) a request reached. */
export function noteRoute(res: Response, route: string): void {
  notesOf(res).route = route;
}

/** The route (its matrix key) a request reached, if it reached one of the matrix. */
export function routeNoted(res: Response): string | undefined {
  return notes.get(res)?.route;
}

/** Records whose data a request read or changed (call it before deciding to answer 404 too). */
export function notePatients(res: Response, ...patientIds: ReadonlyArray<string | null | undefined>): void {
  const found = notesOf(res).patientIds;
  for (const id of patientIds) if (id) found.add(id);
}

/**
 * Writes an audit row for every request it sees once the answer is sent: refusals (401, 403,
 * 404, 429) as well as reads and changes. A row that cannot be written is logged and counted
 * (`audit_write_failures_total`), never silently lost.
 */
export function auditTrail(knex: Knex, logger: Logger, registry: Registry): RequestHandler {
  const failures = new Counter({
    name: "audit_write_failures_total",
    help: "Audit rows that could not be written.",
    registers: [registry],
  });
  return (req, res, next) => {
    res.once("finish", () => {
      const caller = callerOf(res);
      const noted = notes.get(res);
      const row = {
        // Millisecond precision, like the cursors that page through the trail.
        at: new Date(),
        actor: caller?.subject ?? null,
        actor_roles: caller ? [...caller.roles] : [],
        client_address: req.ip ?? null,
        method: req.method,
        route: noted?.route ?? null,
        path: req.originalUrl.slice(0, 2_000),
        patient_ids: [...(noted?.patientIds ?? [])],
        status: res.statusCode,
        outcome: outcomeOf(res.statusCode),
      };
      knex("audit_log")
        .insert(row)
        .catch((error: unknown) => {
          failures.inc();
          logger.error(
            { err: error, route: row.route, status: row.status },
            "could not write an audit row; check the database",
          );
        });
    });
    next();
  };
}
