import { z } from "zod";

const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

/**
 * The tracing settings, by OpenTelemetry's standard names. The SDK itself reads the sampler and
 * batch settings from the same variables; they are declared here so a bad value stops the service
 * at start with a message naming it, and so the settings docs list them.
 */
export const tracingConfigShape = {
  OTEL_TRACES_EXPORTER: z
    .enum(["otlp", "zipkin", "none"])
    .optional()
    .describe(
      "Where spans go: otlp (OTLP over HTTP/protobuf), zipkin (Zipkin's JSON v2 API) or none. Unset: otlp when OTEL_EXPORTER_OTLP_ENDPOINT is set, otherwise none, and tracing is off (no SDK is loaded).",
    ),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe(
      "Base URL of an OTLP/HTTP receiver (a collector, Jaeger, Tempo...), e.g. http://127.0.0.1:4318; spans go to its /v1/traces. Setting it turns tracing on.",
    ),
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: z
    .string()
    .url()
    .default("http://127.0.0.1:9411/api/v2/spans")
    .describe(
      "Zipkin's span intake, used when OTEL_TRACES_EXPORTER=zipkin (the local Zipkin of pnpm infra up).",
    ),
  OTEL_SERVICE_NAME: z
    .string()
    .min(1)
    .optional()
    .describe("The service name on every span (default the service's own name, e.g. order)."),
  OTEL_TRACES_SAMPLER: z
    .enum(SAMPLERS)
    .default("parentbased_always_on")
    .describe(
      "Which traces are recorded, read by the SDK: parentbased_always_on (default: every trace, following the caller's sampled flag), parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG, always_off...",
    ),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("The ratio of traces recorded by the traceidratio samplers, 0 to 1."),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce
    .number()
    .int()
    .positive()
    .default(5_000)
    .describe(
      "Milliseconds between two exports of the batch span processor, read by the SDK (default 5000).",
    ),
};

const tracingSettings = z.object(tracingConfigShape);
export type TracingSettings = z.infer<typeof tracingSettings>;

export { tracingSettings };

/** The exporter the settings choose, or null when tracing is off. */
export function chosenExporter(settings: TracingSettings): "otlp" | "zipkin" | null {
  const exporter = settings.OTEL_TRACES_EXPORTER ?? (settings.OTEL_EXPORTER_OTLP_ENDPOINT ? "otlp" : "none");
  return exporter === "none" ? null : exporter;
}
