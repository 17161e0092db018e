import { randomBytes } from "node:crypto";
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

/** The traceparent of a hop caused by `parent`: same trace id, new span id. A malformed parent starts a new trace. */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  if (!match) return newTraceparent();
  return `00-${match[1]}-${randomBytes(8).toString("hex")}-${match[3]}`;
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
