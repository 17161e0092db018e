import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import { z } from "zod";

/** Every setting of the order service, with its default and meaning (docs/operations.md is generated from it). */
export const orderSettings = serviceConfigSchema("order", { port: 3001, database: "order_service" }).extend({
  SAGA_TRACKER_URL: z
    .string()
    .url()
    .default("http://127.0.0.1:3005")
    .describe("Where clients follow an order's saga: the base of the saga links in the order API's answers."),
});

export type OrderConfig = z.infer<typeof orderSettings>;

export function loadOrderConfig(env: NodeJS.ProcessEnv = process.env): OrderConfig {
  return loadConfig(orderSettings, env);
}
