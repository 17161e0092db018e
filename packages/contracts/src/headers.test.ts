import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { contextOfTraceparent, traceIdOf, traceparentOf } from "./headers.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("W3C traceparent ↔ span context", () => {
  it("reads a traceparent as a remote parent and writes it back unchanged", () => {
    const parent = trace.getSpanContext(contextOfTraceparent(`00-${TRACE}-${SPAN}-01`));
    expect(parent).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(traceparentOf(parent!)).toBe(`00-${TRACE}-${SPAN}-01`);
  });

  it("keeps an unsampled parent unsampled", () => {
    const parent = trace.getSpanContext(contextOfTraceparent(`00-${TRACE}-${SPAN}-00`));
    expect(parent?.traceFlags).toBe(TraceFlags.NONE);
    expect(traceparentOf(parent!)).toBe(`00-${TRACE}-${SPAN}-00`);
  });

  it.each([
    ["missing", undefined],
    ["malformed", "not-a-traceparent"],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${SPAN}-01`],
    ["an all-zero span id", `00-${TRACE}-${"0".repeat(16)}-01`],
  ])("has no parent in %s", (_what, traceparent) => {
    expect(contextOfTraceparent(traceparent)).toBe(ROOT_CONTEXT);
  });

  it("writes a fresh sampled traceparent for a span with no valid context (no parent, tracing off)", () => {
    const [first, second] = [traceparentOf(INVALID_SPAN_CONTEXT), traceparentOf(INVALID_SPAN_CONTEXT)];
    expect(first).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceIdOf(first)).not.toBe(traceIdOf(second));
  });
});
