import { classifyError } from "@fulfillment/outbox";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { z } from "zod";

/** An error an HTTP client can act on, rendered as RFC 7807 problem details. */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Headers the answer carries, e.g. Retry-After or WWW-Authenticate. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/**
 * The body of every error answer (RFC 7807 problem details, `application/problem+json`); the
 * API descriptions document it, and the middleware below builds its answers to this type.
 */
export const problemSchema = z
  .object({
    type: z.string().meta({
      description: "`urn:fulfillment:problem:<CODE>`",
      example: "urn:fulfillment:problem:ORDER_NOT_FOUND",
    }),
    title: z.string().meta({ description: "The problem's code, e.g. VALIDATION_FAILED, FORBIDDEN." }),
    status: z.number().int().min(400).max(599).meta({ description: "The HTTP status, repeated." }),
    detail: z.string().meta({ description: "What went wrong and what to do next." }),
    instance: z.string().meta({ description: "The request's path." }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }).strict())
      .optional()
      .meta({ description: "VALIDATION_FAILED only: each field at fault, by its path." }),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem", description: "RFC 7807 problem details." });

export type Problem = z.infer<typeof problemSchema>;

// express's body parser errors, by their `type`: what the client did and what to do instead.
const PARSER_PROBLEMS: Record<string, { status: number; code: string; detail: string }> = {
  "entity.too.large": {
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    detail: "The body is larger than this API accepts (256 kB); send less.",
  },
  "entity.parse.failed": {
    status: 400,
    code: "MALFORMED_JSON",
    detail: "The body is not valid JSON; send a JSON document.",
  },
  "encoding.unsupported": {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    detail: "The body's Content-Encoding is not supported; send it uncompressed (identity), gzip or deflate.",
  },
  "charset.unsupported": {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    detail: "The body's charset is not supported; send UTF-8 JSON.",
  },
  "request.aborted": {
    status: 400,
    code: "REQUEST_ABORTED",
    detail: "The request was aborted before its body arrived.",
  },
  "request.size.invalid": {
    status: 400,
    code: "BAD_REQUEST",
    detail: "The body's length does not match its Content-Length.",
  },
};

function problemFor(error: unknown): HttpProblem | null {
  if (error instanceof HttpProblem) return error;
  const { type, status } = error as { type?: unknown; status?: unknown };
  const known = typeof type === "string" ? PARSER_PROBLEMS[type] : undefined;
  if (known) return new HttpProblem(known.status, known.code, known.detail);
  if (typeof status === "number" && status >= 400 && status < 500)
    return new HttpProblem(
      status,
      "BAD_REQUEST",
      "The request could not be read; send JSON with Content-Type: application/json.",
    );
  // The database (or broker) is down: the caller should retry, nothing is wrong with its request.
  if (classifyError(error) === "transient")
    return new HttpProblem(
      503,
      "SERVICE_UNAVAILABLE",
      "A dependency of this service is unavailable; retry shortly.",
      {},
      { "Retry-After": "5" },
    );
  return null;
}

/** Turns errors into `application/problem+json`; unexpected ones are logged (path only, no query) and answered 500. */
export function problemMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem = problemFor(error);
    if (!problem) logger.error({ err: error, path: req.path }, "request failed");
    else if (problem.status === 503)
      logger.warn({ err: error, path: req.path }, "request failed: dependency unavailable");
    const { status, code, detail, extra, headers } =
      problem ??
      new HttpProblem(
        500,
        "INTERNAL",
        "The service failed to handle the request; it was logged. Retry later.",
      );
    const body: Problem = {
      ...extra,
      type: `urn:fulfillment:problem:${code}`,
      title: code,
      status,
      detail,
      instance: req.path,
    };
    res.set(headers);
    res.status(status).type("application/problem+json").json(body);
  };
}

/** Unknown routes answer 404 problem details, not HTML. */
export const routeNotFound: RequestHandler = (req) => {
  throw new HttpProblem(
    404,
    "ROUTE_NOT_FOUND",
    `No route ${req.method} ${req.path}; see the API table in the README.`,
  );
};

/** Parses a request body or query with a zod schema, or throws a 400 naming each field that is wrong. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field: issue.path.join(".") || "(body)",
    message: issue.message,
  }));
  throw new HttpProblem(400, "VALIDATION_FAILED", errors.map((e) => `${e.field}: ${e.message}`).join("; "), {
    errors,
  });
}
