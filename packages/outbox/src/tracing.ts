import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";

/**
 * The outbox's own spans: appending a message (create), the relay publishing it (send), a
 * consumer taking a record (process) and its handler. Only the OpenTelemetry API is used: without
 * an SDK in the process every span is the API's no-op, carrying its parent's ids on.
 */
export const tracer = trace.getTracer("@fulfillment/outbox");

export { SpanKind };

/** Messaging attributes of a span about one message on `topic` (OpenTelemetry's names). */
export function messageAttributes(
  operation: "create" | "send" | "process",
  topic: string,
  message: { eventId: string; orderId: string | null; type: string },
): Attributes {
  return {
    "messaging.system": "kafka",
    "messaging.operation.type": operation,
    "messaging.destination.name": topic,
    "messaging.message.id": message.eventId,
    "messaging.kafka.message.key": message.orderId ?? "",
    "fulfillment.message_type": message.type,
  };
}

/** Ends spans, marking them failed with `error` when there is one. */
export function endSpans(spans: readonly Span[], error?: unknown): void {
  for (const span of spans) {
    if (error !== undefined) failSpan(span, error);
    span.end();
  }
}

/** Marks a span failed with `error` (recorded as an exception event). */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
