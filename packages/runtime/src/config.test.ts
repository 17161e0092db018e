import { describe, expect, it } from "vitest";
import { loadConfig, serviceConfigSchema } from "./config.js";

const schema = serviceConfigSchema("inventory", { port: 3003, database: "inventory_service" });

describe("service configuration", () => {
  it("fills in the service's defaults", () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({
      SERVICE_NAME: "inventory",
      PORT: 3003,
      DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5433/inventory_service",
      KAFKA_BROKERS: ["127.0.0.1:9092"],
      TOPIC_PREFIX: "",
    });
  });

  it("fails at start naming each bad variable", () => {
    expect(() => loadConfig(schema, { PORT: "eighty", DATABASE_URL: "not a url" })).toThrow(
      /PORT: .*\n.*DATABASE_URL: .*\nSet these environment variables and start again\./,
    );
  });
});
