import { randomBytes } from "node:crypto";
import { ROOT_CONTEXT, trace, TraceFlags, type Context, type SpanContext } from "@opentelemetry/api";
import type { IHeaders } from "kafkajs";

/** Kafka header names every record carries. */
export const HEADERS = {
  correlationId: "correlation-id",
  traceparent: "traceparent",
  messageType: "message-type",
} as const;

/** Trace context carried from record to record: one correlation id for the saga, a W3C traceparent per hop. */
export interface TraceContext {
  correlationId: string;
  traceparent: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A fresh W3C traceparent (version 00, sampled). */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
}

/**
 * The context of a remote parent span named by a W3C traceparent (ROOT_CONTEXT when it is missing
 * or malformed), for spans that continue it. Read here rather than by the global propagator so it
 * works without an SDK too: the API's no-op spans then carry the parent's ids on.
 */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: parseInt(match[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/** The W3C traceparent of a span context, or a fresh one when it is invalid (no parent, tracing off). */
export function traceparentOf(span: SpanContext): string {
  if (!trace.isSpanContextValid(span)) return newTraceparent();
  return `00-${span.traceId}-${span.spanId}-0${span.traceFlags & TraceFlags.SAMPLED}`;
}

/** The trace id of a traceparent, for log lines. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
}

/** Kafka headers as plain strings (the first value of a repeated header). */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === "string") out[name] = first;
    else if (Buffer.isBuffer(first)) out[name] = first.toString("utf8");
  }
  return out;
}
