import type { Request, RequestHandler, Response } from "express";
import { match } from "path-to-regexp";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { parseRouteKey } from "./security/access.js";
import { routeNoted } from "./security/audit.js";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The route a request is counted under: the path of its matrix key (`/api/orders/:orderId`),
 * also when it was refused before reaching its handler (401, 429, 415); the path template of
 * another route the app declares (`/healthz`, the dashboard's pages); or `unmatched` — never
 * the raw URL, so ids and probes of unknown paths add no series.
 */
function routeLabeller(routeKeys: readonly string[]): (req: Request, res: Response) => string {
  const matchers = routeKeys.map((key) => {
    const { method, path } = parseRouteKey(key);
    return { method, path, matches: match(path) };
  });
  return (req, res) => {
    const key = routeNoted(res);
    if (key) return parseRouteKey(key).path;
    const route = (req as { route?: { path?: unknown } }).route;
    if (typeof route?.path === "string") return route.path;
    const path = req.originalUrl.split("?")[0] ?? "";
    const found = matchers.find((m) => m.method === req.method && m.matches(path) !== false);
    return found?.path ?? "unmatched";
  };
}

/**
 * Counts every request the app answers and how long it took, by method, route template and
 * status code (`http_requests_total`, `http_request_duration_seconds`). Mounted first, so
 * refusals (401, 403, 429) are counted too, under the route of `routeKeys` they were meant for.
 */
export function httpMetrics(registry: Registry, routeKeys: readonly string[]): RequestHandler {
  const routeLabel = routeLabeller(routeKeys);
  const labelNames = ["method", "route", "status_code"] as const;
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method, route template and status code.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer, by method, route template and status code.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const labels = {
        method: METHODS.has(req.method) ? req.method : "OTHER",
        route: routeLabel(req, res),
        status_code: String(res.statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/** `service_ready`: 1 while every readiness check behind /readyz passes, checked at each scrape. */
export function readinessGauge(registry: Registry, ready: () => Promise<boolean>): void {
  new Gauge({
    name: "service_ready",
    help: "1 when every readiness check behind /readyz passes (database, broker, registry, consumer), else 0.",
    registers: [registry],
    async collect() {
      this.set((await ready()) ? 1 : 0);
    },
  });
}
