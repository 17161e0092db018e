import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import type { z } from "zod";

/** Every setting of the prescription service, with its default and meaning (docs/operations.md is generated from it). */
export const prescriptionSettings = serviceConfigSchema("prescription", {
  port: 3002,
  database: "prescription_service",
});

export type PrescriptionConfig = z.infer<typeof prescriptionSettings>;

export function loadPrescriptionConfig(env: NodeJS.ProcessEnv = process.env): PrescriptionConfig {
  return loadConfig(prescriptionSettings, env);
}
