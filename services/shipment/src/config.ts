import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import { z } from "zod";

/** Every setting of the shipment service, with its default and meaning (docs/operations.md is generated from it). */
export const shipmentSettings = serviceConfigSchema("shipment", {
  port: 3004,
  database: "shipment_service",
}).extend({
  SERVICEABLE_DESTINATIONS: z
    .string()
    .default("US,CA,GB,IE,DE,FR,NL,BE,AT")
    .transform((v) =>
      v
        .split(",")
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, "each destination must look like US or US-CA")),
    )
    .describe(
      "Destinations served on first start: ISO 3166-1 country codes (all of the country) or country-region codes (only that region), comma-separated. Managed later through the REST API.",
    ),
});

export type ShipmentConfig = z.infer<typeof shipmentSettings>;

export function loadShipmentConfig(env: NodeJS.ProcessEnv = process.env): ShipmentConfig {
  return loadConfig(shipmentSettings, env);
}
