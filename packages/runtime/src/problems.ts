import type { ErrorRequestHandler } from "express";
import type { Logger } from "pino";
import type { z } from "zod";

/** An error an HTTP client can act on, rendered as RFC 7807 problem details. */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** Turns errors into `application/problem+json`; unexpected ones are logged and answered 500. */
export function problemMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpProblem) {
      res
        .status(error.status)
        .type("application/problem+json")
        .json({
          type: `urn:fulfillment:problem:${error.code}`,
          title: error.code,
          status: error.status,
          detail: error.detail,
          instance: req.originalUrl,
          ...error.extra,
        });
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // express's own parse errors, e.g. a body that is not JSON.
      res
        .status(status)
        .type("application/problem+json")
        .json({
          type: "urn:fulfillment:problem:BAD_REQUEST",
          title: "BAD_REQUEST",
          status,
          detail: `The request could not be read: ${(error as Error).message}. Send a JSON body with Content-Type: application/json.`,
          instance: req.originalUrl,
        });
      return;
    }
    logger.error({ err: error, path: req.originalUrl }, "request failed");
    res.status(500).type("application/problem+json").json({
      type: "urn:fulfillment:problem:INTERNAL",
      title: "INTERNAL",
      status: 500,
      detail: "The service failed to handle the request; it was logged. Retry later.",
      instance: req.originalUrl,
    });
  };
}

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
