#!/usr/bin/env node
/**
 * Inspect and redrive dead letters.
 *   fulfillment-dlq list <dead-letter-topic>      shows each record's error and origin
 *   fulfillment-dlq redrive <dead-letter-topic>   sends them back to their origin topic, for the group that failed
 * Reads KAFKA_BROKERS (default 127.0.0.1:9092) and the operator's KAFKA_SASL_USERNAME/PASSWORD
 * (for the local broker: eval "$(pnpm --silent infra kafka-credentials operator)").
 */
import { saslOption } from "@fulfillment/contracts";
import { Kafka, logLevel } from "kafkajs";
import { listDeadLetters, redriveDeadLetters } from "../consumer/dead-letter-tools.js";
import { loadCliConfig } from "./config.js";

async function main([command, topic]: string[]): Promise<number> {
  if (!topic || (command !== "list" && command !== "redrive")) {
    console.error("usage: fulfillment-dlq list|redrive <dead-letter-topic>   (e.g. inventory.dlq.v1)");
    return 2;
  }
  const config = loadCliConfig();
  const kafka = new Kafka({
    clientId: "fulfillment-dlq",
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
    ...saslOption(config.sasl),
  });
  if (command === "list") {
    const letters = await listDeadLetters(kafka, topic);
    for (const l of letters) {
      console.log(
        `${l.offset}\t${l.failedAt}\t${l.consumerGroup}\t${l.origin.topic}[${l.origin.partition}]@${l.origin.offset}\tkey=${l.key ?? ""}\t${l.errorCode}: ${l.errorMessage}`,
      );
    }
    console.log(`[dlq] ${letters.length} dead letter(s) in ${topic}`);
  } else {
    const count = await redriveDeadLetters(kafka, topic);
    console.log(`[dlq] redrove ${count} dead letter(s) from ${topic} to their origin topics`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `[dlq] failed: ${error instanceof Error ? error.message : String(error)}. Check KAFKA_BROKERS, the operator's KAFKA_SASL_USERNAME/PASSWORD and that the topic exists.`,
    );
    process.exit(1);
  },
);
