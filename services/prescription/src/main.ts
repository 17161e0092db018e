// Tracing starts first, then the service is imported: the SDK can only instrument express and pg
// if its loader hook is in place before they load (see startTelemetry).
import { startTelemetry } from "@fulfillment/runtime/telemetry";

await startTelemetry("prescription");
await import("./service.js");
