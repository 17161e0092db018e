import type { LocalInfraOptions } from "../config.js";

/** Settings of the single combined broker+controller node, as a server.properties text. */
export function serverProperties(options: LocalInfraOptions, dataDir: string): string {
  const { host, kafkaPort, kafkaControllerPort } = options;
  const settings: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.bootstrap.servers": `${host}:${kafkaControllerPort}`,
    listeners: `PLAINTEXT://${host}:${kafkaPort},CONTROLLER://${host}:${kafkaControllerPort}`,
    "advertised.listeners": `PLAINTEXT://${host}:${kafkaPort}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "log.dirs": dataDir,
    // Topics come from the contracts catalog; a typo must fail, not create a topic.
    "auto.create.topics.enable": false,
    "num.partitions": 1,
    "default.replication.factor": 1,
    "min.insync.replicas": 1,
    "offsets.topic.replication.factor": 1,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "share.coordinator.state.topic.replication.factor": 1,
    "share.coordinator.state.topic.min.isr": 1,
    // Consumers in tests join alone; waiting 3s for more members only slows them down.
    "group.initial.rebalance.delay.ms": 0,
    "log.retention.hours": 168,
    "log.segment.bytes": 64 * 1024 * 1024,
  };
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${String(value)}`);
  return `# Written by infra/local on every start; edit src/kafka/server-properties.ts instead.\n${lines.join("\n")}\n`;
}
