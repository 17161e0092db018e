import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { testEndpoints, testKafka, uniqueName, type TestKafkaCredentials } from "@fulfillment/testing";
import { Kafka, logLevel, type Kafka as KafkaClient } from "kafkajs";
import { beforeAll, describe, expect, it } from "vitest";
import { lookupSchema, MessageCodec } from "./codec.js";
import { ContractError } from "./errors.js";
import { consumerGroupOf, kafkaPrincipals } from "./kafka-access.js";
import { saslOption } from "./kafka-auth.js";
import { deployContracts, ensureTopics } from "./topic-admin.js";
import { topicCatalog } from "./topics.js";

const principals = testEndpoints().kafkaPrincipals;
const prefix = `${uniqueName("acl")}.`;

/** A client signed in as `principal` (undefined: no credentials at all), failing fast. */
function clientAs(credentials: TestKafkaCredentials | undefined): KafkaClient {
  const { kafkaBrokers } = testEndpoints();
  return new Kafka({
    clientId: uniqueName("acl-test"),
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 0 },
    ...saslOption(credentials),
  });
}
const as = (principal: string) => clientAs(principals![principal]);

async function send(client: KafkaClient, topic: string): Promise<void> {
  const producer = client.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: prefix + topic, acks: -1, messages: [{ key: "k", value: "v" }] });
  } finally {
    await producer.disconnect();
  }
}

/** Joins `groupId` on `topic` and waits for the assignment (or the broker's refusal). */
async function join(client: KafkaClient, groupId: string, topic: string): Promise<void> {
  const consumer = client.consumer({ groupId, retry: { retries: 0 } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: prefix + topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer.run({ eachMessage: () => Promise.resolve() }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

describe.skipIf(principals === undefined)("the broker's authentication and ACLs", () => {
  beforeAll(async () => {
    const admin = testKafka(testEndpoints()).admin();
    await admin.connect();
    try {
      await deployContracts(admin, MessageCodec.connect(testEndpoints().schemaRegistryUrl), {
        topicPrefix: prefix,
      });
    } finally {
      await admin.disconnect();
    }
  });

  it("runs with a SASL user for every principal the ACLs name", () => {
    expect(Object.keys(principals!).sort()).toEqual([...kafkaPrincipals].sort());
  });

  it("refuses a client without credentials, or with a wrong password", async () => {
    await expect(send(clientAs(undefined), "order.events.v1")).rejects.toThrow();
    const order = principals!.order!;
    await expect(
      send(clientAs({ ...order, password: `${order.password}x` }), "order.events.v1"),
    ).rejects.toThrow(/SASL|authentication/i);
  });

  it("lets a service write its own topic and refuses it another service's topic or a command", async () => {
    await send(as("order"), "order.events.v1");
    await expect(send(as("order"), "inventory.events.v1")).rejects.toThrow(/not authorized/i);
    await expect(send(as("inventory"), "order.commands.v1")).rejects.toThrow(/not authorized/i);
    await send(as("saga-tracker"), "inventory.commands.v1");
  });

  it("lets the outside producer write order.events.v1 only", async () => {
    await send(as("outside-producer"), "order.events.v1");
    await expect(send(as("outside-producer"), "order.commands.v1")).rejects.toThrow(/not authorized/i);
    await expect(send(as("outside-producer"), "inventory.commands.v1")).rejects.toThrow(/not authorized/i);
  });

  it("lets a service consume in its own group only, and only the topics it consumes", async () => {
    await join(as("shipment"), consumerGroupOf("shipment", prefix), "inventory.events.v1");
    // The broker answers GROUP_AUTHORIZATION_FAILED to FindCoordinator; kafkajs reports it as this.
    await expect(
      join(as("shipment"), consumerGroupOf("inventory", prefix), "inventory.events.v1"),
    ).rejects.toThrow(/Failed to find group coordinator/);
    await expect(
      join(as("shipment"), consumerGroupOf("shipment", prefix), "prescription.events.v1"),
    ).rejects.toThrow(/not authorized/i);
  });

  it("refuses a service the deploy step's rights: creating topics", async () => {
    const admin = as("order").admin();
    await admin.connect();
    try {
      const spec = { ...topicCatalog[0]!, name: `${prefix}order.extra.v1` };
      const refused = await ensureTopics(admin, [spec]).catch(
        (e: unknown) => e as { errors?: Array<{ type: string }> },
      );
      expect(refused?.errors?.map((e) => e.type)).toEqual(["TOPIC_AUTHORIZATION_FAILED"]);
    } finally {
      await admin.disconnect();
    }
  });

  it("tells a service that looks up a schema nobody deployed to run the deploy step", async () => {
    const registry = new SchemaRegistry({ host: testEndpoints().schemaRegistryUrl });
    const schema = { type: "record", name: "Undeployed", namespace: "acl.test", fields: [] };
    const error = await lookupSchema(registry, `${prefix}undeployed`, schema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).code).toBe("UNREGISTERED_SCHEMA");
    expect((error as ContractError).message).toContain("pnpm topics");
  });
});
