import { kafkaAuthShape, kafkaSasl, type KafkaCredentials } from "@fulfillment/contracts";
import { z } from "zod";

const schema = z.object({ KAFKA_BROKERS: z.string().min(1).default("127.0.0.1:9092"), ...kafkaAuthShape });

/** The dead-letter tool's settings, read once from the environment (the operator's principal). */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): {
  brokers: string[];
  sasl: KafkaCredentials | undefined;
} {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return { brokers: parsed.data.KAFKA_BROKERS.split(",").map((b) => b.trim()), sasl: kafkaSasl(parsed.data) };
}
