import { trace } from "@opentelemetry/api";
import { AlwaysOffSampler, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, describe, expect, it } from "vitest";
import { activeSpanIds } from "./logger.js";

// The SDK in this process, as startTelemetry registers it (context manager and propagator included).
const provider = new NodeTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
});
provider.register();
afterAll(() => provider.shutdown());

describe("log lines and the active span", () => {
  it("carry the trace and span ids of the span they are written in", () => {
    const tracer = trace.getTracer("test");
    tracer.startActiveSpan("outer", (outer) => {
      expect(activeSpanIds()).toEqual({
        trace_id: outer.spanContext().traceId,
        span_id: outer.spanContext().spanId,
      });
      tracer.startActiveSpan("inner", (inner) => {
        expect(activeSpanIds()).toEqual({
          trace_id: outer.spanContext().traceId,
          span_id: inner.spanContext().spanId,
        });
        inner.end();
      });
      outer.end();
    });
  });

  it("carry nothing outside a span, or in one that is not recorded", () => {
    expect(activeSpanIds()).toEqual({});
    const unsampled = new NodeTracerProvider({ sampler: new AlwaysOffSampler() }).getTracer("test");
    unsampled.startActiveSpan("dropped", (span) => {
      expect(activeSpanIds()).toEqual({});
      span.end();
    });
  });
});
