#!/usr/bin/env node
import { runKafkajsSmoke } from "./kafka/kafkajs-smoke.js";
import {
  startKafka,
  startLocalInfrastructure,
  stopKafka,
  stopLocalInfrastructure,
} from "./infrastructure.js";
import { KAFKA_USERS, type KafkaUser, type KafkaUserCredentials } from "./kafka/credentials.js";
import { keycloakStatus, startKeycloak, stopKeycloak } from "./keycloak/lifecycle.js";
import { localInfrastructureStatus } from "./status.js";

const USAGE =
  "usage: infra up | down | status | env | kafka-credentials <principal> | kafka-stop | kafka-start | kafka-smoke | keycloak up|down|status|env";

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
    console.log(`ZIPKIN_URL=${endpoints.zipkinUrl}`);
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
  // Keycloak is optional and heavy (~180 MB, 20–60 s to start): never part of `up`.
  "keycloak up": async () => {
    await startKeycloak();
    return 0;
  },
  "keycloak down": async () => {
    await stopKeycloak();
    return 0;
  },
  "keycloak status": async () => {
    const status = await keycloakStatus();
    const pid = status.pid === undefined ? "" : ` (pid ${status.pid})`;
    console.log(`[infra] keycloak ${status.up ? "up  " : "down"} ${status.issuerUrl}${pid}`);
    return status.up ? 0 : 3;
  },
  // What a service needs to accept Keycloak's tokens: eval "$(pnpm --silent infra keycloak env)". Starts it.
  "keycloak env": async () => {
    const endpoints = await startKeycloak({ log: () => undefined });
    console.log(`AUTH_ISSUER=${endpoints.issuerUrl}`);
    console.log(`KEYCLOAK_TOKEN_URL=${endpoints.tokenUrl}`);
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
  // "kafka-credentials" takes the principal as its argument; every other command is its words.
  const withArgument = argv[0] === "kafka-credentials";
  const command = commands[withArgument ? argv[0]! : argv.join(" ")];
  if (!command || (withArgument && argv.length !== 2)) {
    console.error(USAGE);
    return 2;
  }
  try {
    return await command(withArgument ? argv[1] : undefined);
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
