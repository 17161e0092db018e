import { z } from "zod";

/** Where the test harness finds its infrastructure: given endpoints, local processes, or testcontainers. */
const schema = z.object({
  TEST_INFRA: z.enum(["auto", "external", "local", "testcontainers"]).default("auto"),
  KAFKA_BROKERS: z.string().optional(),
  SCHEMA_REGISTRY_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.string().default("silent"),
});

export type HarnessConfig = z.infer<typeof schema>;

export function loadHarnessConfig(env: NodeJS.ProcessEnv = process.env): HarnessConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(
      `Invalid test environment (${problems}). Fix these variables or unset them to use local infrastructure.`,
    );
  }
  return parsed.data;
}
