import express, { type Express, type RequestHandler } from "express";
import { createServer, type Server } from "node:http";
import type { Knex } from "knex";
import type { Logger } from "pino";
import { Registry, collectDefaultMetrics } from "prom-client";
import { httpMetrics, readinessGauge } from "./http-metrics.js";
import { apiDocument, type OpenApiDocument } from "./openapi/api-document.js";
import { platformAccess } from "./openapi/platform-docs.js";
import type { ApiDocs } from "./openapi/route-docs.js";
import { serveApiDocs } from "./openapi/serve-api-docs.js";
import { HttpProblem, problemMiddleware, routeNotFound } from "./problems.js";
import { mountRoutes, type AccessMatrix, type RouteHandler, type RouteHandlers } from "./security/access.js";
import { auditQueryHandler } from "./security/audit-query.js";
import { auditTrail } from "./security/audit.js";
import { authenticate, principalOf, type SessionAuthenticator } from "./security/authenticate.js";
import { hardenEdge, rateLimits, requireJsonBody } from "./security/edge.js";
import type { SecurityConfig } from "./security/security-config.js";
import type { TokenVerifier } from "./security/token-verifier.js";

/** A readiness check: resolves when the dependency answers, throws with the reason otherwise. */
export type ReadinessCheck = () => Promise<void>;

/** A service's REST API: its authorization matrix, a handler per route of it, and its OpenAPI document. */
export interface ServiceApi {
  access: AccessMatrix;
  handlers: Readonly<Record<string, RouteHandler>>;
  document: OpenApiDocument;
}

/**
 * Binds a matrix to its handlers and its documentation; the compiler checks that each route has
 * exactly one of each.
 */
export function defineApi<M extends AccessMatrix>(
  access: M,
  handlers: RouteHandlers<M>,
  docs: ApiDocs<M>,
): ServiceApi {
  return { access, handlers, document: apiDocument(access, docs) };
}

export { platformAccess };

export interface ServiceAppOptions {
  logger: Logger;
  /** Named checks behind /readyz, e.g. database, broker, registry. */
  readiness: Record<string, ReadinessCheck>;
  metrics: Registry;
  /** The service's database: the audit trail is written there. */
  knex: Knex;
  security: SecurityConfig;
  verifier: TokenVerifier;
  api: ServiceApi;
  /** Another way to authenticate API calls than a bearer token (the dashboard's session). */
  session?: SessionAuthenticator;
  /** Pages for people, outside /api (the tracker's dashboard and its sign-in). */
  pages?: (app: Express) => void;
}

/** A prom-client registry with the default process metrics, labelled with the service name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The express app every service serves: security headers and CORS, open /healthz and /readyz,
 * /metrics, the open API description (/openapi.json, /docs), then the audit trail, rate limits,
 * bearer-token authentication, JSON-only bodies and the routes of the service's matrix; every
 * error is RFC 7807 problem details.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const { security, logger } = options;
  const app = express();
  const access = { ...options.api.access, ...platformAccess };
  app.use(httpMetrics(options.metrics, Object.keys(access)));
  hardenEdge(app, security);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  const readiness = () => checkReadiness(options.readiness);
  readinessGauge(options.metrics, async () => (await readiness()).ready);
  app.get("/readyz", async (_req, res) => {
    const { ready, checks } = await readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  const limits = rateLimits(security);
  const authenticated = authenticate(options.verifier, options.session);
  const operatorOnly: RequestHandler = (_req, res, next) => {
    if (!principalOf(res).roles.has("operator"))
      throw new HttpProblem(403, "FORBIDDEN", "/metrics needs the operator role.");
    next();
  };
  const metricsGuard = security.METRICS_REQUIRE_AUTH ? [authenticated, operatorOnly] : [];
  app.get("/metrics", ...metricsGuard, async (_req, res) => {
    res.type(options.metrics.contentType).send(await options.metrics.metrics());
  });
  serveApiDocs(app, options.api.document);

  app.use(auditTrail(options.knex, logger, options.metrics));
  app.use(limits.perAddress);
  options.pages?.(app);
  app.use("/api", authenticated, limits.perCaller, requireJsonBody, express.json({ limit: "256kb" }));
  mountRoutes(app, access, {
    ...options.api.handlers,
    "GET /api/audit": auditQueryHandler(options.knex),
  });
  app.use(routeNotFound);
  app.use(problemMiddleware(logger));
  return app;
}

/** Starts listening; resolves with the server once the port is bound, rejects when it cannot be. */
export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Express 5's app.listen calls its callback with the error too (a port in use): bind here instead.
    const server = createServer(app);
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

async function checkReadiness(
  readiness: Record<string, ReadinessCheck>,
): Promise<{ ready: boolean; checks: Record<string, { ok: boolean; error?: string }> }> {
  const results = await Promise.all(
    Object.entries(readiness).map(async ([name, check]) => {
      try {
        await withTimeout(check(), 2_000);
        return [name, { ok: true }] as const;
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  return {
    ready: results.every(([, r]) => r.ok),
    checks: Object.fromEntries<{ ok: boolean; error?: string }>(results),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
