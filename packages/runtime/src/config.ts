import { consumerServices, kafkaAuthShape, type ConsumerService } from "@fulfillment/contracts";
import { z } from "zod";
import { securityConfigShape } from "./security/security-config.js";
import { tracingConfigShape } from "./telemetry/settings.js";

export { loadConfig } from "./load-config.js";

/** Settings every service has; a service extends this with its own. */
export const baseConfigSchema = z.object({
  SERVICE_NAME: z
    .enum(consumerServices)
    .describe("Which service this process is; it names the logs, metrics, Kafka client and consumer group."),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .describe("HTTP port of the REST API, /healthz, /readyz and /metrics."),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("Lowest level of the JSON log lines written to stdout."),
  DATABASE_URL: z
    .string()
    .url()
    .describe("The service's own PostgreSQL database (postgres://user:password@host:port/db)."),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .default("127.0.0.1:9092")
    .transform((value) => value.split(",").map((b) => b.trim()))
    .describe("Kafka bootstrap brokers, host:port, comma-separated."),
  SCHEMA_REGISTRY_URL: z
    .string()
    .url()
    .default("http://127.0.0.1:8081/apis/ccompat/v7")
    .describe(
      "The Confluent-compatible API of the schema registry the records' Avro schemas are looked up in.",
    ),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe(
      "How long a SIGTERM waits for in-flight work and offset commits before the process exits anyway.",
    ),
  ...kafkaAuthShape,
  CONSUMER_GROUP: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Consumer group; defaults to the service name behind TOPIC_PREFIX, the group its ACLs allow (any group starting with that name is allowed too). A new group with an empty database rebuilds a service's state by replaying its topics from the beginning (e.g. the saga tracker's).",
    ),
  TOPIC_PREFIX: z
    .string()
    .default("")
    .describe("Prefix on every topic and consumer group, for environments that share one cluster."),
  ...securityConfigShape,
  ...tracingConfigShape,
});

/** The base settings with a service's own defaults: its name, port and database on the local PostgreSQL. */
export function serviceConfigSchema<N extends ConsumerService>(
  name: N,
  defaults: { port: number; database: string },
) {
  const { shape } = baseConfigSchema;
  return baseConfigSchema.extend({
    SERVICE_NAME: z
      .literal(name)
      .default(name)
      .describe(shape.SERVICE_NAME.description ?? ""),
    PORT: shape.PORT.default(defaults.port).describe(shape.PORT.description ?? ""),
    DATABASE_URL: shape.DATABASE_URL.default(
      `postgres://postgres:postgres@127.0.0.1:5433/${defaults.database}`,
    ).describe(shape.DATABASE_URL.description ?? ""),
  });
}
