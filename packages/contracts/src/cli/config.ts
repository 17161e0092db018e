import { z } from "zod";
import { kafkaAuthShape } from "../kafka-auth.js";

const schema = z.object({
  KAFKA_BROKERS: z.string().min(1).default("127.0.0.1:9092"),
  SCHEMA_REGISTRY_URL: z.string().url().default("http://127.0.0.1:8081/apis/ccompat/v7"),
  TOPIC_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  TOPIC_PREFIX: z.string().default(""),
  ...kafkaAuthShape,
});

/** The topics CLI's settings, read once from the environment. */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment (${problems}). Fix these variables and run again.`);
  }
  return { ...parsed.data, brokers: parsed.data.KAFKA_BROKERS.split(",").map((b) => b.trim()) };
}
