import type { z } from "zod";
import type { AccessMatrix } from "../security/access.js";

/** A header a response carries (Location, Retry-After). */
export interface HeaderDoc {
  description: string;
  type?: "string" | "integer";
}

/** One answer of a route: what it means, its JSON body (none for 204) and its headers. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** The body's media type when it is not `application/json`. */
  mediaType?: string;
  headers?: Readonly<Record<string, HeaderDoc>>;
}

/** Statuses a route answers with problem details besides those every route may answer. */
export type RouteProblemStatus = 400 | 404 | 409 | 422;

/**
 * What the API description says of one route: its inputs as the zod schemas the handler parses
 * them with, its successful answers with the schemas their views are typed from, and the
 * problems only this route answers (what each means). Problems every route may answer (401,
 * 403, 429, 500, 503, and 400 for a malformed request) are added by the document.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** Path parameters; each `:name` of the route without a schema here is documented as a string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads (Idempotency-Key). */
  headers?: z.ZodObject;
  body?: z.ZodType;
  responses: Readonly<Record<number, ResponseDoc>>;
  problems?: Readonly<Partial<Record<RouteProblemStatus, string>>>;
}

/** One documentation entry for each route of the matrix, no more and no less (the compiler checks both). */
export type RouteDocs<M extends AccessMatrix> = { readonly [K in keyof M]: RouteDoc };

/** A service's API description: its title and purpose, and one entry per route. */
export interface ApiDocs<M extends AccessMatrix> {
  title: string;
  description: string;
  routes: RouteDocs<M>;
  /** A session cookie the API takes instead of a bearer token (the tracker's dashboard session). */
  sessionCookie?: { name: string; description: string };
}
