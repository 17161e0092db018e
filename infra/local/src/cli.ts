#!/usr/bin/env node
import { runKafkajsSmoke } from "./kafka/kafkajs-smoke.js";
import {
  startKafka,
  startLocalInfrastructure,
  stopKafka,
  stopLocalInfrastructure,
} from "./infrastructure.js";
import { KAFKA_USERS, type KafkaUser, type KafkaUserCredentials } from "./kafka/credentials.js";
import { localInfrastructureStatus } from "./status.js";

const USAGE =
  "usage: infra up | down | status | env | kafka-credentials <principal> | kafka-stop | kafka-start | kafka-smoke";

const commands: Record<string, (argument?: string) => Promise<number>> = {
  up: async () => {
    await startLocalInfrastructure();
    return 0;
  },
  down: async () => {
    await stopLocalInfrastructure();
    return 0;
  },
  status: async () => {
    const status = await localInfrastructureStatus();
    for (const server of status.servers) {
      const pid = server.pid === undefined ? "" : ` (pid ${server.pid})`;
      console.log(`[infra] ${server.name.padEnd(8)} ${server.up ? "up  " : "down"} ${server.endpoint}${pid}`);
    }
    return status.allUp ? 0 : 3;
  },
  // Endpoints as shell assignments, for scripts: eval "$(pnpm --silent infra env)". Starts what is down.
  env: async () => {
    const endpoints = await startLocalInfrastructure({ log: () => undefined });
    console.log(`KAFKA_BROKERS=${endpoints.kafkaBrokers.join(",")}`);
    console.log(`SCHEMA_REGISTRY_URL=${endpoints.schemaRegistryUrl}`);
    console.log(`POSTGRES_URL=${endpoints.postgresUrl}`);
    console.log(`AUTH_ISSUER=${endpoints.issuerUrl}`);
    console.log(`IDENTITY_DIR=${endpoints.identityDir}`);
    return 0;
  },
  // One principal's SASL settings as shell assignments: eval "$(pnpm --silent infra kafka-credentials order)".
  "kafka-credentials": async (principal?: string) => {
    const endpoints = await startLocalInfrastructure({ log: () => undefined });
    const credentials = endpoints.kafkaCredentials[principal as KafkaUser] as
      KafkaUserCredentials | undefined;
    if (!principal || !credentials) {
      console.error(`[infra] kafka-credentials needs one of: ${KAFKA_USERS.join(", ")}`);
      return 2;
    }
    console.log(`KAFKA_SASL_MECHANISM=${credentials.mechanism}`);
    console.log(`KAFKA_SASL_USERNAME=${credentials.username}`);
    console.log(`KAFKA_SASL_PASSWORD=${credentials.password}`);
    return 0;
  },
  "kafka-stop": async () => {
    await stopKafka();
    return 0;
  },
  "kafka-start": async () => {
    await startKafka();
    return 0;
  },
  // Re-runs the kafkajs compatibility evidence recorded in the README against the running broker.
  "kafka-smoke": async () => {
    const { kafkaBrokers, kafkaCredentials } = await startLocalInfrastructure();
    const result = await runKafkajsSmoke(kafkaBrokers, kafkaCredentials.admin);
    for (const step of result.steps) console.log(`[infra] kafka-smoke: ${step}`);
    return 0;
  },
};

async function main(argv: readonly string[]): Promise<number> {
  const command = commands[argv[0] ?? ""];
  if (!command || argv.length > (argv[0] === "kafka-credentials" ? 2 : 1)) {
    console.error(USAGE);
    return 2;
  }
  try {
    return await command(argv[1]);
  } catch (error) {
    console.error(`[infra] failed: ${describe(error)}`);
    return 1;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\n  caused by: ${describe(error.cause)}` : "";
  return `${error.message}${cause}`;
}

process.exitCode = await main(process.argv.slice(2));
