import cors from "cors";
import type { Express, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import helmet from "helmet";
import { HttpProblem } from "../problems.js";
import { callerOf } from "./authenticate.js";
import type { SecurityConfig } from "./security-config.js";

/** Security headers on every answer, and CORS only for the origins configured (none by default). */
export function hardenEdge(
  app: Express,
  config: Pick<SecurityConfig, "CORS_ORIGINS" | "TRUST_PROXY_HOPS">,
): void {
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY_HOPS);
  app.use(helmet());
  if (config.CORS_ORIGINS.length > 0) {
    app.use(
      cors({
        origin: config.CORS_ORIGINS,
        methods: ["GET", "POST", "PUT", "DELETE"],
        allowedHeaders: ["authorization", "content-type", "idempotency-key", "traceparent"],
        exposedHeaders: ["location", "retry-after"],
        maxAge: 600,
      }),
    );
  }
}

/**
 * The content security policy of the API's browsable description (/docs) only. Helmet's default
 * (on every other answer) asks browsers to upgrade insecure requests, so a service reached over
 * plain HTTP by a name that is not loopback (inside a compose network) serves a blank page: its
 * scripts are fetched over HTTPS, which it does not speak. This one drops that and nothing else
 * widens: scripts, fetches and styles come from this origin only (Swagger UI also sets inline
 * styles and draws icons as data: images), and no frame may embed the page.
 */
export const docsPageSecurity: RequestHandler = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  },
});

const throttled =
  (windowMs: number): RequestHandler =>
  (_req, res) => {
    const retryAfter = res.getHeader("retry-after") ?? String(Math.ceil(windowMs / 1000));
    throw new HttpProblem(
      429,
      "TOO_MANY_REQUESTS",
      `Too many requests; retry after ${String(retryAfter)} s.`,
      {},
      {
        "Retry-After": String(retryAfter),
      },
    );
  };

/**
 * Rate limits, answering 429 with Retry-After: per client address before authentication (so a
 * flood of bad tokens is cut off), and per authenticated caller after it.
 */
export function rateLimits(
  config: Pick<SecurityConfig, "RATE_LIMIT_PER_MINUTE" | "RATE_LIMIT_PER_ADDRESS_PER_MINUTE">,
) {
  const windowMs = 60_000;
  const common = {
    windowMs,
    standardHeaders: "draft-8" as const,
    legacyHeaders: false,
    handler: throttled(windowMs),
  };
  return {
    perAddress: rateLimit({
      ...common,
      limit: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? "unknown"),
    }),
    perCaller: rateLimit({
      ...common,
      limit: config.RATE_LIMIT_PER_MINUTE,
      keyGenerator: (req, res) => `sub:${callerOf(res)?.subject ?? ipKeyGenerator(req.ip ?? "unknown")}`,
    }),
  };
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** A request body must be JSON: anything else is 415, before a parser blames missing fields. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (BODY_METHODS.has(req.method) && hasBody && !req.is("application/json")) {
    throw new HttpProblem(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `The body is ${req.headers["content-type"] ?? "untyped"}; send JSON with Content-Type: application/json.`,
    );
  }
  next();
};
