import type { SASLOptions } from "kafkajs";
import { z } from "zod";

/**
 * The Kafka credentials every client reads from its environment: a SASL user name and password
 * (SCRAM-SHA-512 by default). Credentials come from configuration only; without a user name the
 * client connects unauthenticated, which a broker with an authorizer refuses.
 */
const mechanisms = z.enum(["scram-sha-512", "scram-sha-256", "plain"]);

export const kafkaAuthShape = {
  KAFKA_SASL_MECHANISM: mechanisms
    .default("scram-sha-512")
    .describe("SASL mechanism of the Kafka principal."),
  KAFKA_SASL_USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The service's own Kafka principal (never the admin's); without it the client connects unauthenticated.",
    ),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional().describe("Password of KAFKA_SASL_USERNAME; a secret."),
};

export type KafkaAuthConfig = z.infer<z.ZodObject<typeof kafkaAuthShape>>;

/** A principal's SASL credentials as kafkajs takes them. */
export interface KafkaCredentials {
  mechanism: z.infer<typeof mechanisms>;
  username: string;
  password: string;
}

/** kafkajs' `sasl` option for these settings, or undefined when no user name is configured. */
export function kafkaSasl(config: KafkaAuthConfig): KafkaCredentials | undefined {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = config;
  if (username === undefined) return undefined;
  if (password === undefined) {
    throw new Error(
      `KAFKA_SASL_USERNAME is ${username} but KAFKA_SASL_PASSWORD is not set: set both (pnpm --silent infra kafka-credentials <principal> prints them for the local broker).`,
    );
  }
  return { mechanism, username, password };
}

/**
 * The same credentials as kafkajs' client option. Always a fresh object: kafkajs caches an
 * authenticator holding the password on the object it is given, so sharing one would carry it over.
 */
export function saslOption(credentials: KafkaCredentials | undefined): { sasl?: SASLOptions } {
  if (!credentials) return {};
  const { mechanism, username, password } = credentials;
  return { sasl: { mechanism, username, password } };
}
