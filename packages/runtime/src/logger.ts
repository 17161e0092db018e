import { trace } from "@opentelemetry/api";
import { pino, type Logger } from "pino";

/** Fields holding patient data: never written to logs. */
export const REDACTED_PATHS = [
  "patientId",
  "*.patientId",
  "shippingAddress",
  "*.shippingAddress",
  "req.headers.authorization",
  "body.shippingAddress",
];

/**
 * The service's JSON logger: one line per event, patient data redacted. Lines are written to
 * stdout asynchronously, so a handler never waits on the terminal or the log file; pino flushes
 * what is pending when the process exits (a SIGKILL loses the lines of its last moment).
 * A line written inside a recorded span carries its trace_id and span_id, to find the line from
 * the trace and the trace from the line.
 */
export function createLogger(service: string, level = "info"): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: activeSpanIds,
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

const NO_SPAN = {};

/** The ids of the span active where a line is written, when it is recorded (tracing on, sampled). */
export function activeSpanIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return NO_SPAN;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export type { Logger } from "pino";
