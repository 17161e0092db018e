import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseConfigSchema, serviceConfigSchema } from "./config.js";
import { settingsMarkdown, settingsOf, undocumentedSettings } from "./settings-doc.js";

describe("the settings documentation", () => {
  it("has a meaning for every setting every service shares", () => {
    expect(undocumentedSettings(baseConfigSchema)).toEqual([]);
  });

  it("names a setting declared without a meaning", () => {
    const schema = baseConfigSchema.extend({ NEW_SETTING: z.string().default("x") });
    expect(undocumentedSettings(schema)).toEqual(["NEW_SETTING"]);
  });

  it("shows defaults as they are written in the environment, before any transform", () => {
    const settings = settingsOf(baseConfigSchema);
    const byName = new Map(settings.map((s) => [s.name, s]));
    expect(byName.get("KAFKA_BROKERS")).toMatchObject({ default: "127.0.0.1:9092", required: false });
    expect(byName.get("METRICS_REQUIRE_AUTH")).toMatchObject({ default: "false" });
    expect(byName.get("METRICS_REQUIRE_AUTH")?.values).toEqual(
      expect.arrayContaining(["true", "false", "1", "0"]),
    );
    expect(byName.get("DATABASE_URL")).toMatchObject({ default: undefined, required: true });
    expect(byName.get("CONSUMER_GROUP")).toMatchObject({ default: undefined, required: false });
    expect(settings.map((s) => s.name)).toEqual(Object.keys(baseConfigSchema.shape));
  });

  it("puts what all services share in one table and each service's own defaults in its table", () => {
    const order = serviceConfigSchema("order", { port: 3001, database: "order_service" }).extend({
      ONLY_ORDER: z.string().default("a|b").describe("Only the order service reads it."),
    });
    const shipment = serviceConfigSchema("shipment", { port: 3004, database: "shipment_service" });
    const markdown = settingsMarkdown([
      { service: "order", schema: order },
      { service: "shipment", schema: shipment },
    ]);
    const [shared = "", orderTable = "", shipmentTable = ""] = markdown.split(/^### .*$/m).slice(1);
    expect(shared).toContain("| `LOG_LEVEL` | `info` | Lowest level");
    expect(shared).not.toContain("`PORT`");
    expect(orderTable).toContain("| `PORT` | `3001` |");
    expect(orderTable).toContain("| `ONLY_ORDER` | `a\\|b` | Only the order service reads it. |");
    expect(shipmentTable).toContain("| `PORT` | `3004` |");
    expect(shipmentTable).not.toContain("ONLY_ORDER");
    expect(markdown).toContain("| `CONSUMER_GROUP` | none |");
  });
});
