import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import type { z } from "zod";

/** Every setting of the inventory service, with its default and meaning (docs/operations.md is generated from it). */
export const inventorySettings = serviceConfigSchema("inventory", {
  port: 3003,
  database: "inventory_service",
});

export type InventoryConfig = z.infer<typeof inventorySettings>;

export function loadInventoryConfig(env: NodeJS.ProcessEnv = process.env): InventoryConfig {
  return loadConfig(inventorySettings, env);
}
