import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import { z } from "zod";

const schema = serviceConfigSchema("order", { port: 3001, database: "order_service" }).extend({
  /** Where clients follow an order's saga; used in the links of POST /api/orders. */
  SAGA_TRACKER_URL: z.string().url().default("http://127.0.0.1:3005"),
});

export type OrderConfig = z.infer<typeof schema>;

export function loadOrderConfig(env: NodeJS.ProcessEnv = process.env): OrderConfig {
  return loadConfig(schema, env);
}
