import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import { z } from "zod";

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = serviceConfigSchema("saga-tracker", { port: 3005, database: "saga_tracker" }).extend({
  PRESCRIPTION_DEADLINE_MS: ms(60_000),
  INVENTORY_DEADLINE_MS: ms(60_000),
  SHIPMENT_DEADLINE_MS: ms(60_000),
  /** How long a compensation may go unconfirmed before the saga needs an operator. */
  COMPENSATION_DEADLINE_MS: ms(300_000),
  DEADLINE_SCAN_INTERVAL_MS: ms(1_000),
});

export type TrackerConfig = z.infer<typeof schema>;

/** The tracker's configuration, validated once at start. */
export function loadTrackerConfig(env: NodeJS.ProcessEnv = process.env): TrackerConfig {
  return loadConfig(schema, env);
}
