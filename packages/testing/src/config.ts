import { z } from "zod";

/** Where the test harness finds its infrastructure: given endpoints, local processes, or testcontainers. */
const schema = z.object({
  TEST_INFRA: z.enum(["auto", "external", "local", "testcontainers"]).default("auto"),
  KAFKA_BROKERS: z.string().optional(),
  /** With TEST_INFRA=external: the broker's super user, when it asks for SASL. */
  KAFKA_SASL_MECHANISM: z.enum(["scram-sha-512", "scram-sha-256", "plain"]).default("scram-sha-512"),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  SCHEMA_REGISTRY_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  /** With TEST_INFRA=external: a Zipkin server for the tracing tests. */
  ZIPKIN_URL: z.string().url().optional(),
  LOG_LEVEL: z.string().default("silent"),
  /** Set by scripts/test.sh when it started the local infrastructure for this run (so it is ours to stop). */
  TEST_OWNS_INFRA: z.enum(["0", "1"]).default("0"),
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
