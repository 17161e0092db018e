import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import type { z } from "zod";

const schema = serviceConfigSchema("inventory", { port: 3003, database: "inventory_service" });

export type InventoryConfig = z.infer<typeof schema>;

export function loadInventoryConfig(env: NodeJS.ProcessEnv = process.env): InventoryConfig {
  return loadConfig(schema, env);
}
