import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";

/**
 * The SASL users of the local broker. `admin` is its super user (deploy steps, tests' fixtures);
 * the others are the principals the contracts package gives ACLs to (a test keeps both lists equal).
 */
export const KAFKA_USERS = [
  "admin",
  "order",
  "prescription",
  "inventory",
  "shipment",
  "saga-tracker",
  "outside-producer",
  "operator",
] as const;
export type KafkaUser = (typeof KAFKA_USERS)[number];

/** The SCRAM mechanism the local broker offers its clients. */
export const KAFKA_SASL_MECHANISM = "scram-sha-512";

export interface KafkaUserCredentials {
  mechanism: typeof KAFKA_SASL_MECHANISM;
  username: string;
  password: string;
}

/**
 * kafkajs' `sasl` option for `credentials`, always a fresh object of the three fields: kafkajs
 * caches an authenticator holding the password on the object it is given, so a shared or spread
 * object would sign a later client in with the earlier password.
 */
export function saslOf(credentials: KafkaUserCredentials): KafkaUserCredentials {
  const { mechanism, username, password } = credentials;
  return { mechanism, username, password };
}

/** Every user's credentials, plus the password the broker uses on its own controller listener. */
export interface KafkaSecrets {
  users: Record<KafkaUser, KafkaUserCredentials>;
  controllerPassword: string;
}

const fileSchema = z.object({
  users: z.record(z.string(), z.string().min(16)),
  controllerPassword: z.string().min(16),
});

const newPassword = () => randomBytes(24).toString("base64url");

/** The secrets kept in `file`, or undefined before the broker was first formatted. */
export async function readKafkaSecrets(file: string): Promise<KafkaSecrets | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = fileSchema.safeParse(JSON.parse(text));
  if (!parsed.success || KAFKA_USERS.some((user) => parsed.data.users[user] === undefined)) return undefined;
  const passwords = parsed.data.users;
  return {
    controllerPassword: parsed.data.controllerPassword,
    users: Object.fromEntries(
      KAFKA_USERS.map((user) => [
        user,
        { mechanism: KAFKA_SASL_MECHANISM, username: user, password: passwords[user]! },
      ]),
    ) as Record<KafkaUser, KafkaUserCredentials>,
  };
}

/** Creates fresh random passwords for every user and keeps them in `file`, readable by its owner only. */
export async function createKafkaSecrets(file: string): Promise<KafkaSecrets> {
  const passwords = Object.fromEntries(KAFKA_USERS.map((user) => [user, newPassword()]));
  const controllerPassword = newPassword();
  await writeFile(file, `${JSON.stringify({ users: passwords, controllerPassword }, null, 2)}\n`, {
    mode: 0o600,
  });
  const secrets = await readKafkaSecrets(file);
  if (!secrets) throw new Error(`kafka: could not read back ${file}`);
  return secrets;
}

/** The `--add-scram` arguments that create every user when the storage is formatted. */
export function scramFormatArguments(secrets: KafkaSecrets): string[] {
  return KAFKA_USERS.flatMap((user) => [
    "--add-scram",
    `SCRAM-SHA-512=[name=${user},password=${secrets.users[user].password}]`,
  ]);
}
