import kafkajs, { type AclEntry } from "kafkajs";
import { describe, expect, it } from "vitest";
import { consumerGroupOf, kafkaAcls, kafkaPrincipals, serviceTopics } from "./kafka-access.js";
import { messageNames, topicOf } from "./messages.js";
import { consumerServices, topicCatalog } from "./topics.js";

const { AclOperationTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;
const PREFIX = "env-a.";
const acls = kafkaAcls(PREFIX);

/** The topics `principal` may perform `operation` on. */
function topicsWith(principal: string, operation: AclEntry["operation"]): string[] {
  return acls
    .filter(
      (acl) =>
        acl.principal === `User:${principal}` &&
        acl.resourceType === AclResourceTypes.TOPIC &&
        acl.operation === operation,
    )
    .map((acl) => acl.resourceName)
    .sort();
}

const groupsOf = (principal: string): AclEntry[] =>
  acls.filter((acl) => acl.principal === `User:${principal}` && acl.resourceType === AclResourceTypes.GROUP);

describe("kafkaAcls", () => {
  it("lets each service write only the topics it owns and its own dead-letter topic", () => {
    expect(topicsWith("order", AclOperationTypes.WRITE)).toEqual([
      "env-a.order.dlq.v1",
      "env-a.order.events.v1",
    ]);
    expect(topicsWith("inventory", AclOperationTypes.WRITE)).toEqual([
      "env-a.inventory.dlq.v1",
      "env-a.inventory.events.v1",
    ]);
    expect(topicsWith("saga-tracker", AclOperationTypes.WRITE)).toEqual([
      "env-a.fulfillment.saga.v1",
      "env-a.inventory.commands.v1",
      "env-a.order.commands.v1",
      "env-a.prescription.commands.v1",
      "env-a.saga-tracker.dlq.v1",
    ]);
  });

  it("gives every saga topic exactly one writing service, and commands only to the tracker", () => {
    const sagaTopics = [...new Set(messageNames.map(topicOf))];
    for (const topic of sagaTopics) {
      const writers = consumerServices.filter((s) => serviceTopics[s].produces.includes(topic));
      expect(writers, topic).toHaveLength(1);
      if (topic.includes(".commands.")) expect(writers, topic).toEqual(["saga-tracker"]);
    }
  });

  it("lets each service read only what it consumes, in its own group and no other", () => {
    for (const service of consumerServices) {
      expect(topicsWith(service, AclOperationTypes.READ)).toEqual(
        serviceTopics[service].consumes.map((t) => PREFIX + t).sort(),
      );
      expect(groupsOf(service).map((acl) => [acl.resourceName, acl.resourcePatternType])).toEqual([
        [consumerGroupOf(service, PREFIX), ResourcePatternTypes.PREFIXED],
        [consumerGroupOf(service, PREFIX), ResourcePatternTypes.PREFIXED],
      ]);
    }
  });

  it("lets the outside producer write order.events.v1 and nothing else", () => {
    const entries = acls.filter((acl) => acl.principal === "User:outside-producer");
    expect(entries.map((acl) => [acl.resourceType, acl.resourceName, acl.operation])).toEqual([
      [AclResourceTypes.TOPIC, "env-a.order.events.v1", AclOperationTypes.WRITE],
      [AclResourceTypes.TOPIC, "env-a.order.events.v1", AclOperationTypes.DESCRIBE],
    ]);
  });

  it("lets the operator read every dead-letter topic, in the dead-letter tools' groups only", () => {
    const deadLetters = topicCatalog.filter((t) => t.kind === "dead-letter").map((t) => PREFIX + t.name);
    expect(topicsWith("operator", AclOperationTypes.READ)).toEqual(deadLetters.sort());
    expect(groupsOf("operator").every((acl) => deadLetters.some((t) => acl.resourceName === `${t}.`))).toBe(
      true,
    );
  });

  it("never grants the admin (a super user) nor anything on the cluster, with ALL or with a wildcard", () => {
    expect(acls.some((acl) => acl.principal === "User:admin")).toBe(false);
    expect(acls.some((acl) => acl.resourceType === AclResourceTypes.CLUSTER)).toBe(false);
    expect(acls.some((acl) => acl.operation === AclOperationTypes.ALL || acl.resourceName === "*")).toBe(
      false,
    );
    expect(new Set(acls.map((acl) => acl.principal.slice(5)))).toEqual(
      new Set(kafkaPrincipals.filter((p) => p !== "admin")),
    );
  });
});

describe("docs/SECURITY.md", () => {
  it("lists, for each service's principal, exactly the topics it writes and reads", async () => {
    const { readFile } = await import("node:fs/promises");
    const doc = await readFile(new URL("../../../docs/SECURITY.md", import.meta.url), "utf8");
    const kafkaSection = doc.slice(doc.indexOf("## Kafka"));
    const sagaTopics = [...new Set(messageNames.map(topicOf))];
    for (const service of consumerServices) {
      const row = kafkaSection.split("\n").find((line) => line.startsWith(`| \`${service}\``));
      expect(row, service).toBeDefined();
      const [, , writes = "", reads = ""] = row!.split("|");
      const named = (cell: string) =>
        sagaTopics.filter(
          (t) =>
            cell.includes(`\`${t}\``) ||
            (cell.includes("the three `*.commands.v1`") && t.includes(".commands.")) ||
            (cell.includes("the four `*.events.v1`") && t.includes(".events.")),
        );
      expect(named(writes).sort(), `${service} writes`).toEqual([...serviceTopics[service].produces].sort());
      expect(named(reads).sort(), `${service} reads`).toEqual([...serviceTopics[service].consumes].sort());
    }
  });
});
