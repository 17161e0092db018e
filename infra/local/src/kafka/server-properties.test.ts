import { describe, expect, it } from "vitest";
import { loadOptions } from "../config.js";
import { KAFKA_USERS, type KafkaSecrets } from "./credentials.js";
import { serverProperties } from "./server-properties.js";

const secrets: KafkaSecrets = {
  controllerPassword: "controller-secret-0123456789",
  users: Object.fromEntries(
    KAFKA_USERS.map((user) => [
      user,
      { mechanism: "scram-sha-512", username: user, password: `${user}-secret-0123456789` },
    ]),
  ) as KafkaSecrets["users"],
};

describe("serverProperties", () => {
  it("describes one combined KRaft node that never auto-creates topics", () => {
    const options = loadOptions({ host: "127.0.0.1", kafkaPort: 19092, kafkaControllerPort: 19093 });
    const text = serverProperties(options, "/data", secrets);
    expect(text).toContain("process.roles=broker,controller");
    expect(text).toContain("auto.create.topics.enable=false");
    expect(text).toContain("offsets.topic.replication.factor=1");
    expect(text).toContain("group.initial.rebalance.delay.ms=0");
    expect(text).not.toContain("message.max.bytes");
  });

  it("asks every listener for SASL and refuses what no ACL allows", () => {
    const options = loadOptions({ host: "127.0.0.1", kafkaPort: 19092, kafkaControllerPort: 19093 });
    const lines = serverProperties(options, "/data", secrets).split("\n");
    expect(lines).toContain("listeners=SASL_PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    expect(lines).toContain("advertised.listeners=SASL_PLAINTEXT://127.0.0.1:19092");
    expect(lines).toContain(
      "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
    );
    expect(lines).toContain("sasl.enabled.mechanisms=SCRAM-SHA-512");
    expect(lines).toContain("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    expect(lines).toContain("allow.everyone.if.no.acl.found=false");
    expect(lines).toContain("super.users=User:admin;User:controller");
    expect(lines.filter((line) => line.includes("PLAINTEXT:PLAINTEXT"))).toEqual([]);
  });
});
