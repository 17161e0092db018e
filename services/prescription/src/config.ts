import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import type { z } from "zod";

const schema = serviceConfigSchema("prescription", { port: 3002, database: "prescription_service" });

export type PrescriptionConfig = z.infer<typeof schema>;

export function loadPrescriptionConfig(env: NodeJS.ProcessEnv = process.env): PrescriptionConfig {
  return loadConfig(schema, env);
}
