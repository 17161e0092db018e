import { register } from "node:module";
import { loadConfig } from "../load-config.js";
import { chosenExporter, tracingSettings, type TracingSettings } from "./settings.js";

/** What a started SDK leaves behind: flushing the spans still buffered. */
let stopSdk: (() => Promise<void>) | undefined;

/** Probes and scrapes come every few seconds and tell nothing about a saga. */
const UNTRACED_PATHS = /^\/(healthz|readyz|metrics)(\/|\?|$)/;

/**
 * Query parameters whose values never reach a span: the patient filters of the list and audit
 * routes (patient data, as in the logs), and the instrumentation's own defaults (signed-URL keys).
 */
const REDACTED_QUERY_PARAMETERS = [
  "patientId",
  "sig",
  "Signature",
  "AWSAccessKeyId",
  "X-Goog-Signature",
  "X-Amz-Signature",
  "X-Amz-Credential",
  "X-Amz-Security-Token",
];

/**
 * Starts tracing for `service` when the settings ask for it (OTEL_TRACES_EXPORTER, or an OTLP
 * endpoint); otherwise does nothing, so the code's spans stay the API's no-ops. Call it first, in
 * main.ts, and import the service after: express and pg are ES modules' imports here, so their
 * instrumentations can only wrap them if the loader hook is in place before they load. Only the
 * hooked modules are wrapped (import-in-the-middle's include list), not every import.
 */
export async function startTelemetry(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const settings = loadConfig(tracingSettings, env);
  const exporter = chosenExporter(settings);
  if (!exporter) return false;
  const { createAddHookMessageChannel } = await import("import-in-the-middle");
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, registerOptions);
  const provider = await tracerProvider(service, settings, exporter);
  provider.register();
  const { registerInstrumentations } = await import("@opentelemetry/instrumentation");
  const { HttpInstrumentation } = await import("@opentelemetry/instrumentation-http");
  const { ExpressInstrumentation, ExpressLayerType } = await import("@opentelemetry/instrumentation-express");
  const { PgInstrumentation } = await import("@opentelemetry/instrumentation-pg");
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ""),
        // The registry client and the tracker's calls join a trace; they never start one.
        requireParentforOutgoingSpans: true,
        redactedQueryParamsServer: REDACTED_QUERY_PARAMETERS,
      }),
      // The route's handler and routers, not each of the dozen middlewares every request passes.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // The relay's polls and the pool's checks would each be a trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  await waitForAllMessagesAcknowledged();
  stopSdk = () => provider.shutdown();
  return true;
}

async function tracerProvider(service: string, settings: TracingSettings, exporter: "otlp" | "zipkin") {
  const { NodeTracerProvider } = await import("@opentelemetry/sdk-trace-node");
  const { BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const { resourceFromAttributes } = await import("@opentelemetry/resources");
  const { ATTR_SERVICE_NAME } = await import("@opentelemetry/semantic-conventions");
  const spanExporter =
    exporter === "zipkin"
      ? new (await import("@opentelemetry/exporter-zipkin")).ZipkinExporter({
          url: settings.OTEL_EXPORTER_ZIPKIN_ENDPOINT,
        })
      : new (await import("@opentelemetry/exporter-trace-otlp-proto")).OTLPTraceExporter(
          settings.OTEL_EXPORTER_OTLP_ENDPOINT
            ? { url: new URL("v1/traces", withSlash(settings.OTEL_EXPORTER_OTLP_ENDPOINT)).href }
            : {},
        );
  // The sampler is the SDK's default, which reads OTEL_TRACES_SAMPLER(_ARG) itself.
  return new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: [
      new BatchSpanProcessor(spanExporter, { scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY }),
    ],
  });
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** Exports the spans still buffered and stops the SDK (nothing when tracing is off). */
export async function stopTelemetry(): Promise<void> {
  const stop = stopSdk;
  stopSdk = undefined;
  await stop?.();
}
