#!/usr/bin/env node
/**
 * Creates every topic of the catalog and registers every schema with its compatibility rule.
 * Usage: fulfillment-topics   (reads KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_REPLICATION_FACTOR)
 */
import { Kafka, logLevel } from "kafkajs";
import { MessageCodec } from "../codec.js";
import { ensureTopics } from "../topic-admin.js";
import { loadCliConfig } from "./config.js";

async function main(): Promise<void> {
  const config = loadCliConfig();
  const kafka = new Kafka({
    clientId: "fulfillment-topics",
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, undefined, {
      replicationFactor: config.TOPIC_REPLICATION_FACTOR,
      onProgress: (line) => console.log(`[topics] ${line}`),
    });
  } finally {
    await admin.disconnect();
  }
  await MessageCodec.connect(config.SCHEMA_REGISTRY_URL).register();
  console.log("[topics] every schema is registered with BACKWARD_TRANSITIVE compatibility");
}

main().catch((error: unknown) => {
  console.error(`[topics] failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(
    "[topics] check that Kafka and the schema registry are up (pnpm infra status) and try again.",
  );
  process.exit(1);
});
