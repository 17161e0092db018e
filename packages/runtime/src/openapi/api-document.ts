import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { ROLES } from "@fulfillment/identity";
import { z } from "zod";
import { problemSchema } from "../problems.js";
import { parseRouteKey, type AccessMatrix, type RouteRules, type Scope } from "../security/access.js";
import { platformAccess, platformDocs, probeDocs } from "./platform-docs.js";
import type { ApiDocs, HeaderDoc, ResponseDoc, RouteDoc } from "./route-docs.js";

/** The OpenAPI 3.1 document of a service, as /openapi.json serves it. */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

const SCOPE_MEANS: Record<Scope, string> = {
  all: "everything",
  "own-patient": "only the calling patient's own data (another patient's answers 404; lists are narrowed)",
  "own-client": "only what the calling client placed",
};

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

const traceparent = z
  .string()
  .regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/)
  .optional()
  .meta({ description: "W3C Trace Context: the caller's span, so this request joins its trace." });

const retryAfter: Record<string, HeaderDoc> = {
  "Retry-After": { description: "Seconds to wait before retrying.", type: "integer" },
};

function problem(description: string, headers: Record<string, HeaderDoc> = {}): ResponseDoc {
  return { description, schema: problemSchema, mediaType: "application/problem+json", headers };
}

function responseConfig(doc: ResponseDoc): ResponseConfig {
  const headers = Object.fromEntries(
    Object.entries(doc.headers ?? {}).map(([name, h]) => [
      name,
      { description: h.description, schema: { type: h.type ?? "string" } },
    ]),
  );
  return {
    description: doc.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(doc.schema ? { content: { [doc.mediaType ?? "application/json"]: { schema: doc.schema } } } : {}),
  };
}

/** `GET /api/orders/:orderId` → `getOrdersByOrderId`. */
function operationId(method: string, path: string): string {
  const words = path
    .split("/")
    .filter((part) => part !== "" && part !== "api")
    .map((part) => (part.startsWith(":") ? `By-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[-_.]/))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return method.toLowerCase() + words.join("");
}

function rolesText(rules: RouteRules): string {
  const lines = ROLES.flatMap((role) => {
    const scope = rules[role];
    return scope ? [`- \`${role}\`: ${SCOPE_MEANS[scope]}`] : [];
  });
  return `**Roles** (any other role is refused with 403):\n${lines.join("\n")}`;
}

/** Path parameters: the route's own schemas, and a string for each `:name` it gives none. */
function pathParams(path: string, doc: RouteDoc): z.ZodObject | undefined {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (names.length === 0) return undefined;
  const given = doc.params?.shape ?? {};
  return z.object(Object.fromEntries(names.map((name) => [name, given[name] ?? z.string()])));
}

/** The problems every route under /api may answer, with the route's own added. */
function apiResponses(method: string, doc: RouteDoc): Record<number, ResponseDoc> {
  const own = doc.problems ?? {};
  const responses: Record<number, ResponseDoc> = {
    ...doc.responses,
    400: problem(
      [
        "The request is invalid: a parameter or field fails validation (VALIDATION_FAILED, each field in `errors`), the body is not JSON (MALFORMED_JSON), or a value holds a NUL character (NUL_CHARACTER).",
        own[400],
      ]
        .filter(Boolean)
        .join(" "),
    ),
    401: problem("No valid bearer token (AUTHENTICATION_REQUIRED, INVALID_TOKEN).", {
      "WWW-Authenticate": { description: "The bearer challenge." },
    }),
    403: problem("The token has none of the roles this route allows (FORBIDDEN)."),
    429: problem("Too many requests from this address or caller (TOO_MANY_REQUESTS).", retryAfter),
    500: problem("The service failed unexpectedly (INTERNAL); it was logged. Retry later."),
    503: problem(
      "A dependency (the database) is unavailable (SERVICE_UNAVAILABLE); retry after the delay.",
      retryAfter,
    ),
  };
  for (const status of [404, 409, 422] as const) {
    const description = own[status];
    if (description) responses[status] = problem(description);
  }
  if (BODY_METHODS.has(method)) {
    responses[413] = problem("The body is larger than 256 kB (PAYLOAD_TOO_LARGE).");
    responses[415] = problem(
      "The body is not JSON (UNSUPPORTED_MEDIA_TYPE): send Content-Type: application/json.",
    );
  }
  return responses;
}

function apiRoute(
  key: string,
  rules: RouteRules,
  doc: RouteDoc,
  tag: string,
  security: RouteConfig["security"],
): RouteConfig {
  const { method, path } = parseRouteKey(key);
  const params = pathParams(path, doc);
  const headers = (doc.headers ?? z.object({})).extend({ traceparent });
  return {
    method: method.toLowerCase() as RouteConfig["method"],
    path: path.replace(/:(\w+)/g, "{$1}"),
    operationId: operationId(method, path),
    tags: [tag],
    summary: doc.summary,
    description: [doc.description, rolesText(rules)].filter(Boolean).join("\n\n"),
    security,
    "x-roles": rules,
    request: {
      ...(params ? { params } : {}),
      ...(doc.query ? { query: doc.query } : {}),
      headers,
      ...(doc.body
        ? { body: { required: true, content: { "application/json": { schema: doc.body } } } }
        : {}),
    },
    responses: Object.fromEntries(
      Object.entries(apiResponses(method, doc)).map(([status, r]) => [status, responseConfig(r)]),
    ),
  };
}

/**
 * The OpenAPI 3.1 document of a service's REST API, generated from its access matrix (who may
 * call each route, with what scope) and its route docs (the zod schemas the handlers parse their
 * input with and type their views from), with the platform's routes every service has.
 */
export function apiDocument<M extends AccessMatrix>(access: M, docs: ApiDocs<M>): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An OAuth 2.0 access token of the configured issuer, with the caller's roles.",
  });
  const security: RouteConfig["security"] = [{ bearerAuth: [] }];
  if (docs.sessionCookie) {
    registry.registerComponent("securitySchemes", "sessionCookie", {
      type: "apiKey",
      in: "cookie",
      name: docs.sessionCookie.name,
      description: docs.sessionCookie.description,
    });
    security.push({ sessionCookie: [] });
  }
  const routes: Record<string, RouteDoc> = { ...docs.routes, ...platformDocs };
  const matrix: AccessMatrix = { ...access, ...platformAccess };
  for (const [key, rules] of Object.entries(matrix)) {
    const doc = routes[key];
    if (!doc) throw new Error(`route ${key} has no documentation entry; add one to the service's API docs`);
    registry.registerPath(
      apiRoute(key, rules, doc, key in platformAccess ? "platform" : docs.title, security),
    );
  }
  for (const [key, doc] of Object.entries(probeDocs)) {
    const { method, path } = parseRouteKey(key);
    const guarded = doc.open === "unless-configured";
    registry.registerPath({
      method: method.toLowerCase() as RouteConfig["method"],
      path,
      operationId: operationId(method, path),
      tags: ["platform"],
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      security: guarded ? [{}, { bearerAuth: [] }] : [],
      responses: Object.fromEntries(
        Object.entries({
          ...doc.responses,
          ...(guarded
            ? {
                401: problem("METRICS_REQUIRE_AUTH is set and no valid bearer token came."),
                403: problem("METRICS_REQUIRE_AUTH is set and the token lacks the operator role."),
              }
            : {}),
          500: problem("The service failed unexpectedly (INTERNAL)."),
        }).map(([status, r]) => [status, responseConfig(r)]),
      ),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: docs.title, version: "1.0.0", description: docs.description },
    tags: [
      { name: docs.title, description: docs.description },
      { name: "platform", description: "What every service serves: its audit trail, probes and metrics." },
    ],
  });
}
