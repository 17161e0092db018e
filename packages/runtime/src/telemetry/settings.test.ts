import { describe, expect, it } from "vitest";
import { loadConfig } from "../load-config.js";
import { chosenExporter, tracingSettings } from "./settings.js";

const exporterFor = (env: NodeJS.ProcessEnv) => chosenExporter(loadConfig(tracingSettings, env));

describe("tracing settings", () => {
  it("leaves tracing off when nothing is configured", () => {
    expect(exporterFor({})).toBeNull();
  });

  it("exports over OTLP once an OTLP endpoint is set", () => {
    expect(exporterFor({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe("otlp");
  });

  it("takes the exporter named, and none turns tracing off whatever else is set", () => {
    expect(exporterFor({ OTEL_TRACES_EXPORTER: "zipkin" })).toBe("zipkin");
    expect(exporterFor({ OTEL_TRACES_EXPORTER: "otlp" })).toBe("otlp");
    expect(
      exporterFor({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }),
    ).toBeNull();
  });

  it("refuses a bad value at start, naming the variable", () => {
    expect(() => exporterFor({ OTEL_TRACES_EXPORTER: "jaeger" })).toThrow(/OTEL_TRACES_EXPORTER: /);
    expect(() => exporterFor({ OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(/OTEL_TRACES_SAMPLER_ARG: /);
  });
});
