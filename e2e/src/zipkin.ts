/** Reading traces back from a real Zipkin, for the tracing tests. */
import { SERVICES, type ServiceName } from "./system.js";

/** A span as Zipkin's v2 API returns it (names are lower-cased by Zipkin). */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: "CLIENT" | "SERVER" | "PRODUCER" | "CONSUMER";
  /** Microseconds since the epoch. */
  timestamp: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** The settings that make a service export its spans to this Zipkin quickly. */
export function exportingTo(zipkinUrl: string): Partial<Record<ServiceName, Record<string, string>>> {
  const env = {
    OTEL_TRACES_EXPORTER: "zipkin",
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkinUrl}/api/v2/spans`,
    OTEL_BSP_SCHEDULE_DELAY: "200",
  };
  return Object.fromEntries(SERVICES.map((service) => [service, env]));
}

/** The trace's spans Zipkin has so far (none while it knows nothing of it). */
export async function traceSpans(zipkinUrl: string, traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${zipkinUrl}/api/v2/trace/${traceId}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Zipkin answered ${response.status} for trace ${traceId}`);
  return (await response.json()) as ZipkinSpan[];
}

/**
 * Polls Zipkin until the trace's spans satisfy `complete`, then until no more arrive for
 * `settleMs` (a parent span ends after its children, so it may come in a later export); returns
 * the spans and when `complete` was first met.
 */
export async function traceWhen(
  zipkinUrl: string,
  traceId: string,
  complete: (spans: ZipkinSpan[]) => boolean,
  { timeoutMs = 30_000, settleMs = 1_000 } = {},
): Promise<{ spans: ZipkinSpan[]; at: number }> {
  const until = Date.now() + timeoutMs;
  let spans: ZipkinSpan[] = [];
  let at: number | undefined;
  let stableSince = 0;
  while (Date.now() < until) {
    const found = await traceSpans(zipkinUrl, traceId);
    if (at === undefined && complete(found)) at = Date.now();
    if (found.length !== spans.length) stableSince = Date.now();
    spans = found;
    if (at !== undefined && Date.now() - stableSince >= settleMs) return { spans, at };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seen = [...new Set(spans.map((s) => `${serviceOf(s)}:${s.name}`))].sort();
  throw new Error(
    `trace ${traceId} was not complete and settled in Zipkin within ${timeoutMs} ms; spans seen: ${seen.join(", ") || "none"}`,
  );
}

export function serviceOf(span: ZipkinSpan): string | undefined {
  return span.localEndpoint?.serviceName;
}

/** Whether `span` descends from the span with id `ancestorId` in `spans`. */
export function descendsFrom(span: ZipkinSpan, ancestorId: string, spans: readonly ZipkinSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const seen = new Set<string>();
  for (
    let parent = span.parentId;
    parent !== undefined && !seen.has(parent);
    parent = byId.get(parent)?.parentId
  ) {
    if (parent === ancestorId) return true;
    seen.add(parent);
  }
  return false;
}
