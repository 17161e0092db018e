import { ROLES, type Role } from "@fulfillment/identity";
import type { Express, Request, RequestHandler, Response } from "express";
import type { Knex } from "knex";
import { HttpProblem } from "../problems.js";
import { principalOf } from "./authenticate.js";
import { noteRoute } from "./audit.js";
import type { Principal } from "./principal.js";

/**
 * How much of a route's data a role may reach: everything, only what belongs to the calling
 * patient, or only what the calling client placed.
 */
export type Scope = "all" | "own-patient" | "own-client";

/** The roles allowed on one route, each with its scope; any other role is refused (403). */
export type RouteRules = { readonly [R in Role]?: Scope };

/** A service's authorization matrix: `"<METHOD> <path>"` → rules. Routes are mounted in this order. */
export type AccessMatrix = Readonly<Record<string, RouteRules>>;

/** What the caller may reach on this request, from the rules of the route and the caller's roles. */
export class Grant {
  readonly scopes: ReadonlySet<Scope>;

  constructor(
    readonly principal: Principal,
    rules: RouteRules,
  ) {
    this.scopes = new Set(
      ROLES.flatMap((role) => (principal.roles.has(role) && rules[role] ? [rules[role]] : [])),
    );
  }

  /** Whether the caller may reach everything on this route. */
  get all(): boolean {
    return this.scopes.has("all");
  }

  /** Whether the caller may see a resource of this patient, placed by this client. */
  allows(owner: { patientId: string | null; clientId?: string | null }): boolean {
    if (this.all) return true;
    const { patientId, subject } = this.principal;
    return (
      (this.scopes.has("own-patient") && patientId !== null && owner.patientId === patientId) ||
      (this.scopes.has("own-client") && owner.clientId != null && owner.clientId === subject)
    );
  }

  /** Narrows a list query to what the caller may see (nothing, when it may see nothing). */
  restrict<Q extends Knex.QueryBuilder>(query: Q, columns: { patient: string; client?: string }): Q {
    if (this.all) return query;
    const { patientId, subject } = this.principal;
    return query.where((where) => {
      where.whereRaw("false");
      if (this.scopes.has("own-patient") && patientId !== null) where.orWhere(columns.patient, patientId);
      if (this.scopes.has("own-client") && columns.client) where.orWhere(columns.client, subject);
    }) as Q;
  }
}

/**
 * PostgreSQL cannot store a NUL character in text or JSON, so no valid input holds one: a path
 * parameter, query or body that does is refused here, before any handler passes it to the database.
 */
function refuseNulCharacters(req: Request): void {
  const parts = { path: req.params, query: req.query, body: req.body as unknown };
  for (const [where, value] of Object.entries(parts)) {
    if (value !== undefined && JSON.stringify(value).includes("\\u0000"))
      throw new HttpProblem(
        400,
        "NUL_CHARACTER",
        `The request's ${where} holds a NUL character (\\u0000), which no field accepts.`,
      );
  }
}

/** A route's handler: the request, the response, and what the caller may reach. */
export type RouteHandler = (req: Request, res: Response, grant: Grant) => Promise<void> | void;

/** One handler for each route of the matrix, no more and no less (the compiler checks both). */
export type RouteHandlers<M extends AccessMatrix> = { readonly [K in keyof M]: RouteHandler };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

function mount(app: Express, method: Method): (path: string, handler: RequestHandler) => void {
  switch (method) {
    case "GET":
      return (path, handler) => app.get(path, handler);
    case "POST":
      return (path, handler) => app.post(path, handler);
    case "PUT":
      return (path, handler) => app.put(path, handler);
    case "PATCH":
      return (path, handler) => app.patch(path, handler);
    case "DELETE":
      return (path, handler) => app.delete(path, handler);
  }
}

/** Splits `"GET /api/orders/:orderId"` into its method and path. */
export function parseRouteKey(key: string): { method: Method; path: string } {
  const [method, path, ...rest] = key.split(" ");
  const known = METHODS.find((m) => m === method);
  if (!known || !path?.startsWith("/") || rest.length > 0)
    throw new Error(`route key "${key}" must look like "GET /api/things/:id"`);
  return { method: known, path };
}

/**
 * Mounts each route of `matrix` with its handler behind its rules: a caller with none of the
 * allowed roles gets 403 before the handler runs; the handler gets the caller's Grant to
 * enforce ownership (another patient's resource answers 404, lists are narrowed).
 */
export function mountRoutes<M extends AccessMatrix>(
  app: Express,
  matrix: M,
  handlers: RouteHandlers<M>,
): void {
  for (const key of Object.keys(matrix)) {
    const rules = matrix[key]!;
    const handler = handlers[key as keyof M];
    const { method, path } = parseRouteKey(key);
    const allowed = ROLES.filter((role) => rules[role]);
    mount(app, method)(path, async (req: Request, res: Response) => {
      noteRoute(res, key);
      refuseNulCharacters(req);
      const principal = principalOf(res);
      const grant = new Grant(principal, rules);
      if (grant.scopes.size === 0) {
        throw new HttpProblem(
          403,
          "FORBIDDEN",
          `${key} needs one of the roles ${allowed.join(", ")}; the token has ${[...principal.roles].join(", ") || "none"}.`,
        );
      }
      await handler(req, res, grant);
    });
  }
}
