import { createHash, randomBytes } from "node:crypto";
import type { Principal, SessionAuthenticator } from "@fulfillment/runtime";
import type { Request, Response } from "express";
import type { Knex } from "knex";
import { ROLES, type Role } from "@fulfillment/identity";

export const SESSION_COOKIE = "fulfillment_session";

const hash = (value: string) => createHash("sha256").update(value).digest("hex");

/** Reads one cookie of the request (no parser needed for the two cookies the dashboard sets). */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** Cookie attributes: HttpOnly, SameSite=Lax (the provider's redirect back is a top-level GET), Secure over TLS. */
export function cookieOptions(req: Request, maxAgeMs: number) {
  return { httpOnly: true, sameSite: "lax" as const, secure: req.secure, path: "/", maxAge: maxAgeMs };
}

/**
 * Dashboard sessions, kept in the tracker's database (so any instance serves any session); the
 * browser holds a random id, the database only its hash.
 */
export class SessionStore {
  constructor(
    private readonly knex: Knex,
    private readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens a session for `principal` and sets its cookie. */
  async open(req: Request, res: Response, principal: Principal, idToken: string | null): Promise<void> {
    const id = randomBytes(32).toString("base64url");
    const now = this.now();
    await this.knex("dashboard_sessions").insert({
      id_hash: hash(id),
      subject: principal.subject,
      roles: [...principal.roles],
      patient_id: principal.patientId,
      id_token: idToken,
      created_at: now,
      expires_at: new Date(now.getTime() + this.ttlMs),
    });
    res.cookie(SESSION_COOKIE, id, cookieOptions(req, this.ttlMs));
  }

  /** The session's principal and ID token, if the cookie names a live session. */
  async find(req: Request): Promise<{ principal: Principal; idToken: string | null } | null> {
    const id = cookieOf(req, SESSION_COOKIE);
    if (!id) return null;
    const row = (await this.knex("dashboard_sessions")
      .where({ id_hash: hash(id) })
      .where("expires_at", ">", this.now())
      .first()) as
      { subject: string; roles: string[]; patient_id: string | null; id_token: string | null } | undefined;
    if (!row) return null;
    const roles = new Set(row.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)));
    return { principal: { subject: row.subject, roles, patientId: row.patient_id }, idToken: row.id_token };
  }

  /** Ends the session the cookie names and clears the cookie. */
  async close(req: Request, res: Response): Promise<void> {
    const id = cookieOf(req, SESSION_COOKIE);
    if (id)
      await this.knex("dashboard_sessions")
        .where({ id_hash: hash(id) })
        .delete();
    res.clearCookie(SESSION_COOKIE, { path: "/" });
  }

  /** API calls from the dashboard's pages authenticate with the session cookie. */
  authenticator(): SessionAuthenticator {
    return async (req) => (await this.find(req))?.principal ?? null;
  }
}
