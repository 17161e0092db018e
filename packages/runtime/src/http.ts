import express, { type Express } from "express";
import type { Server } from "node:http";
import type { Logger } from "pino";
import { Registry, collectDefaultMetrics } from "prom-client";
import { problemMiddleware } from "./problems.js";

/** A readiness check: resolves when the dependency answers, throws with the reason otherwise. */
export type ReadinessCheck = () => Promise<void>;

export interface ServiceAppOptions {
  logger: Logger;
  /** Named checks behind /readyz, e.g. database, broker, registry. */
  readiness: Record<string, ReadinessCheck>;
  metrics: Registry;
  /** Mounts the service's own routes. */
  routes: (app: Express) => void;
}

/** A prom-client registry with the default process metrics, labelled with the service name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The express app every service serves: JSON, /healthz, /readyz, /metrics, its routes, problem details. */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "256kb" }));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const results = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, { ok: true }] as const;
        } catch (error) {
          return [
            name,
            { ok: false, error: error instanceof Error ? error.message : String(error) },
          ] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r.ok);
    const checks = Object.fromEntries<{ ok: boolean; error?: string }>(results);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  app.get("/metrics", async (_req, res) => {
    res.type(options.metrics.contentType).send(await options.metrics.metrics());
  });
  options.routes(app);
  app.use(problemMiddleware(options.logger));
  return app;
}

/** Starts listening; resolves with the server once the port is bound. */
export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, () => resolve(server));
    server.once("error", reject);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
