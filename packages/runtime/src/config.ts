import { consumerServices, kafkaAuthShape, type ConsumerService } from "@fulfillment/contracts";
import { z } from "zod";
import { securityConfigShape } from "./security/security-config.js";
import { tracingConfigShape } from "./telemetry/settings.js";

export { loadConfig } from "./load-config.js";

/** Settings every service has; a service extends this with its own. */
export const baseConfigSchema = z.object({
  SERVICE_NAME: z.enum(consumerServices),
  PORT: z.coerce.number().int().min(0).max(65_535),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.string().url(),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .default("127.0.0.1:9092")
    .transform((value) => value.split(",").map((b) => b.trim())),
  SCHEMA_REGISTRY_URL: z.string().url().default("http://127.0.0.1:8081/apis/ccompat/v7"),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** The service's own Kafka principal (KAFKA_SASL_USERNAME/PASSWORD); never the admin's. */
  ...kafkaAuthShape,
  /**
   * Consumer group; defaults to the service name behind TOPIC_PREFIX, the group its ACLs allow
   * (any group starting with that name is allowed too). A new group with an empty database rebuilds a
   * service's state by replaying its topics from the beginning (e.g. the saga tracker's).
   */
  CONSUMER_GROUP: z.string().min(1).optional(),
  /** Prefix on every topic, for environments that share one cluster (default none). */
  TOPIC_PREFIX: z.string().default(""),
  ...securityConfigShape,
  ...tracingConfigShape,
});

/** The base settings with a service's own defaults: its name, port and database on the local PostgreSQL. */
export function serviceConfigSchema<N extends ConsumerService>(
  name: N,
  defaults: { port: number; database: string },
) {
  return baseConfigSchema.extend({
    SERVICE_NAME: z.literal(name).default(name),
    PORT: z.coerce.number().int().min(0).max(65_535).default(defaults.port),
    DATABASE_URL: z
      .string()
      .url()
      .default(`postgres://postgres:postgres@127.0.0.1:5433/${defaults.database}`),
  });
}
