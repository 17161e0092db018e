#!/usr/bin/env node
/**
 * The deploy step: creates every topic of the catalog, gives each Kafka principal its ACLs and
 * registers every schema with its compatibility rule. Run it with the broker's admin principal.
 * Usage: fulfillment-topics   (reads KAFKA_BROKERS, KAFKA_SASL_USERNAME/PASSWORD, SCHEMA_REGISTRY_URL,
 *                              TOPIC_PREFIX, TOPIC_REPLICATION_FACTOR)
 */
import { Kafka, logLevel } from "kafkajs";
import { MessageCodec } from "../codec.js";
import { kafkaSasl, saslOption } from "../kafka-auth.js";
import { deployContracts } from "../topic-admin.js";
import { loadCliConfig } from "./config.js";

async function main(): Promise<void> {
  const config = loadCliConfig();
  const kafka = new Kafka({
    clientId: "fulfillment-topics",
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
    ...saslOption(kafkaSasl(config)),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await deployContracts(admin, MessageCodec.connect(config.SCHEMA_REGISTRY_URL), {
      topicPrefix: config.TOPIC_PREFIX,
      replicationFactor: config.TOPIC_REPLICATION_FACTOR,
      onProgress: (line) => console.log(`[topics] ${line}`),
    });
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`[topics] failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(
    "[topics] check that Kafka and the schema registry are up (pnpm infra status) and that KAFKA_SASL_USERNAME/PASSWORD are the admin's (pnpm --silent infra kafka-credentials admin), then try again.",
  );
  process.exit(1);
});
