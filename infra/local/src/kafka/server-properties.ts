import type { LocalInfraOptions } from "../config.js";
import type { KafkaSecrets } from "./credentials.js";

const SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
const PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

/**
 * Settings of the single combined broker+controller node, as a server.properties text. Every
 * listener asks for SASL: clients authenticate with SCRAM-SHA-512 (users stored in the cluster's
 * metadata, created at format time), the controller listener with PLAIN for the node itself only
 * (SCRAM cannot serve it: its users live in the metadata the controller serves). The standard
 * authorizer refuses whatever no ACL allows; only `admin` and the node itself are super users.
 */
export function serverProperties(options: LocalInfraOptions, dataDir: string, secrets: KafkaSecrets): string {
  const { host, kafkaPort, kafkaControllerPort } = options;
  const admin = secrets.users.admin;
  const settings: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.bootstrap.servers": `${host}:${kafkaControllerPort}`,
    listeners: `SASL_PLAINTEXT://${host}:${kafkaPort},CONTROLLER://${host}:${kafkaControllerPort}`,
    "advertised.listeners": `SASL_PLAINTEXT://${host}:${kafkaPort}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "SASL_PLAINTEXT",
    "listener.security.protocol.map": "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
    "sasl.enabled.mechanisms": "SCRAM-SHA-512",
    "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
    "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config": `${SCRAM_LOGIN} required username="${admin.username}" password="${admin.password}";`,
    "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
    "sasl.mechanism.controller.protocol": "PLAIN",
    "listener.name.controller.plain.sasl.jaas.config": `${PLAIN_LOGIN} required username="controller" password="${secrets.controllerPassword}" user_controller="${secrets.controllerPassword}";`,
    "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "super.users": `User:${admin.username};User:controller`,
    "allow.everyone.if.no.acl.found": false,
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
