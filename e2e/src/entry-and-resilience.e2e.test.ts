import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MessageCodec, type OrderCreated } from "@fulfillment/contracts";
import { readUntil, testEndpoints, testKafka } from "@fulfillment/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkedFetch,
  FINAL,
  get,
  json,
  orderBody,
  placeOrder,
  placeValidOrder,
  saga,
  sagaReaching,
  stockedDrug,
} from "./api.js";
import { startSystem, type RunningSystem } from "./system.js";

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

function orderCreated(orderId: string): OrderCreated {
  return {
    eventId: randomUUID(),
    occurredAt: Date.now(),
    orderId,
    patientId: "pat-kafka",
    prescriberId: null,
    items: [{ sku: "VITD-1000", quantity: 1, unitPriceCents: 799 }],
    shippingAddress: {
      line1: "5 Canal St",
      line2: null,
      city: "Amsterdam",
      region: null,
      postalCode: "1011",
      country: "NL",
    },
    currency: "EUR",
  };
}

/**
 * A plain producer: kafkajs and the registry, no code of the services, signed in as the outside
 * producer principal a shop front gets (the broker's ACLs let it write order.events.v1 only).
 */
async function produceRaw(topic: string, messages: Array<{ key: string; value: Buffer }>): Promise<void> {
  const endpoints = testEndpoints();
  const outsideProducer = endpoints.kafkaPrincipals?.["outside-producer"] ?? endpoints.kafkaAdmin;
  const producer = testKafka(endpoints, undefined, outsideProducer).producer();
  await producer.connect();
  await producer.send({ topic: system.topicPrefix + topic, messages });
  await producer.disconnect();
}

describe("entry points and bad input", () => {
  it("starts a saga from an OrderCreated produced straight to Kafka", async () => {
    const order = orderCreated(`kafka-${randomUUID()}`);
    const value = await MessageCodec.connect(testEndpoints().schemaRegistryUrl).encode("OrderCreated", order);
    await produceRaw("order.events.v1", [{ key: order.orderId, value }]);
    await sagaReaching(system, order.orderId, ["COMPLETED"]);
    const recorded = await get<{ status: string; patientId: string }>(
      system,
      `${system.url.order}/api/orders/${order.orderId}`,
    );
    expect(recorded.patientId).toBe("pat-kafka");
  });

  it("yields one saga, one prescription and one reservation when the same OrderCreated arrives twice", async () => {
    const before = await get<{ reserved: number }>(system, `${system.url.inventory}/api/inventory/VITD-1000`);
    const order = orderCreated(`twice-${randomUUID()}`);
    const value = await MessageCodec.connect(testEndpoints().schemaRegistryUrl).encode("OrderCreated", order);
    await produceRaw("order.events.v1", [
      { key: order.orderId, value },
      { key: order.orderId, value },
    ]);
    // A second publication with a new event id (a producer retrying differently) is one order too.
    const retried = await MessageCodec.connect(testEndpoints().schemaRegistryUrl).encode("OrderCreated", {
      ...order,
      eventId: randomUUID(),
    });
    await produceRaw("order.events.v1", [{ key: order.orderId, value: retried }]);
    const done = await sagaReaching(system, order.orderId, ["COMPLETED"]);
    expect(done.history.filter((h) => h.step === "order")).toHaveLength(1);
    const prescriptions = await get<{ items: unknown[] }>(
      system,
      `${system.url.prescription}/api/prescriptions?orderId=${order.orderId}`,
    );
    expect(prescriptions.items).toHaveLength(1);
    const after = await get<{ reserved: number }>(system, `${system.url.inventory}/api/inventory/VITD-1000`);
    expect(after.reserved - before.reserved).toBe(1);
  });

  it("answers a malformed REST request with a 400 that names the problem", async () => {
    const badJson = await placeOrder(system, "{ not json");
    expect(badJson.status).toBe(400);
    const missing = await placeOrder(
      system,
      orderBody({ items: [{ sku: "IBU-200", quantity: 0, unitPriceCents: 1 }] }),
    );
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const problem = await json<{ detail: string; errors: Array<{ field: string }> }>(missing);
    expect(problem.errors.map((e) => e.field)).toEqual(["items.0.quantity"]);
    expect(problem.detail).toMatch(/items\.0\.quantity/);
    const country = await json<{ errors: Array<{ field: string; message: string }> }>(
      await placeOrder(
        system,
        orderBody({ shippingAddress: { line1: "x", city: "y", postalCode: "z", country: "Germany" } }),
      ),
    );
    expect(country.errors).toEqual([
      { field: "shippingAddress.country", message: "must be an ISO 3166-1 alpha-2 code such as US" },
    ]);
  });

  it("honours Idempotency-Key: the same request twice is one order", async () => {
    const key = randomUUID();
    const first = await json<{ orderId: string }>(
      await placeOrder(system, orderBody(), { "Idempotency-Key": key }),
    );
    const again = await placeOrder(system, orderBody(), { "Idempotency-Key": key });
    expect(again.status).toBe(202);
    expect(await json<{ orderId: string; replayed: boolean }>(again)).toMatchObject({
      orderId: first.orderId,
      replayed: true,
    });
    const different = await placeOrder(system, orderBody({ patientId: "someone-else" }), {
      "Idempotency-Key": key,
    });
    expect(different.status).toBe(422);
    await sagaReaching(system, first.orderId, ["COMPLETED"]);
  });

  it("dead-letters malformed, misplaced and over-limit records in every consumer of the topic, starting no saga, while saga traffic keeps flowing", async () => {
    const notAvro = `poison-${randomUUID()}`;
    const invalid = {
      ...orderCreated(`invalid-${randomUUID()}`),
      items: [{ sku: "VITD-1000", quantity: 0, unitPriceCents: 1 }],
    };
    const invalidValue = await MessageCodec.connect(testEndpoints().schemaRegistryUrl).encode(
      "OrderCreated",
      invalid,
    );
    // A patientId of 200 kB: over the contract's limit of 100 characters. Once, the order service
    // refused it (its index could not hold it) while the others ran its saga to COMPLETED.
    const overLimit = { ...orderCreated(`over-limit-${randomUUID()}`), patientId: "p".repeat(200_000) };
    const overLimitValue = await MessageCodec.connect(testEndpoints().schemaRegistryUrl).encode(
      "OrderCreated",
      overLimit,
    );
    // A real InventoryReserved, for an order that never existed, on the order topic that does not carry it.
    const misplaced = {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      orderId: `misplaced-${randomUUID()}`,
      reservationId: "res-misplaced",
      lines: [{ sku: "VITD-1000", quantity: 1 }],
    };
    const misplacedValue = await MessageCodec.connect(testEndpoints().schemaRegistryUrl).encode(
      "InventoryReserved",
      misplaced,
    );
    // The next order shares the poison's key, so it sits on the same partition, right behind it:
    // only a consumer that moved past the poison can start its saga.
    const next = orderCreated(notAvro);
    const nextValue = await MessageCodec.connect(testEndpoints().schemaRegistryUrl).encode(
      "OrderCreated",
      next,
    );
    await produceRaw("order.events.v1", [
      { key: notAvro, value: Buffer.from("definitely not avro") },
      { key: invalid.orderId, value: invalidValue },
      { key: misplaced.orderId, value: misplacedValue },
      { key: overLimit.orderId, value: overLimitValue },
      { key: notAvro, value: nextValue },
    ]);
    await sagaReaching(system, next.orderId, ["COMPLETED"]);
    const orderId = await placeValidOrder(system);
    await sagaReaching(system, orderId, ["COMPLETED"]);
    for (const service of ["order", "prescription", "shipment", "saga-tracker"]) {
      const letters = await readUntil(
        testKafka(testEndpoints()),
        `${system.topicPrefix}${service}.dlq.v1`,
        (rs) =>
          [notAvro, invalid.orderId, misplaced.orderId, overLimit.orderId].every((key) =>
            rs.some((r) => r.key === key),
          ),
      );
      const codeOf = (key: string) =>
        letters.find((r) => r.key === key)?.headers["dlq-error-code"]?.toString();
      expect(codeOf(notAvro), service).toBe("NOT_WIRE_FORMAT");
      expect(codeOf(invalid.orderId), service).toBe("INVALID_CONTENT");
      expect(codeOf(misplaced.orderId), service).toBe("UNEXPECTED_RECORD_TYPE");
      expect(codeOf(overLimit.orderId), service).toBe("INVALID_CONTENT");
      const origin = letters.find((r) => r.key === notAvro)?.headers["dlq-origin-topic"]?.toString();
      expect(origin).toBe(`${system.topicPrefix}order.events.v1`);
    }
    expect(await saga(system, invalid.orderId)).toBeNull();
    expect(await saga(system, misplaced.orderId)).toBeNull();
    expect(await saga(system, overLimit.orderId)).toBeNull();
    const metrics = await (await checkedFetch(system, `${system.url.prescription}/metrics`)).text();
    expect(Number(/^consumer_dead_letters_total\{[^}]*\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(
      2,
    );
    expect(metrics).toMatch(
      new RegExp(
        `consumer_lag_messages\\{topic="${system.topicPrefix.replace(/\./g, "\\.")}order\\.events\\.v1"`,
      ),
    );
  });
});

const DLQ_CLI = join(
  resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."),
  "packages/outbox/dist/cli/dead-letters.js",
);

/** Runs the operator's dead-letter tool (`pnpm dlq`) signed in as `principal`. */
async function dlq(principal: string, ...args: string[]): Promise<{ code: number; output: string }> {
  const credentials = testEndpoints().kafkaPrincipals![principal]!;
  const env = {
    PATH: process.env.PATH,
    KAFKA_BROKERS: testEndpoints().kafkaBrokers.join(","),
    KAFKA_SASL_MECHANISM: credentials.mechanism,
    KAFKA_SASL_USERNAME: credentials.username,
    KAFKA_SASL_PASSWORD: credentials.password,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DLQ_CLI, ...args], { env });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe.skipIf(testEndpoints().kafkaPrincipals === undefined)("dead letters under the broker's ACLs", () => {
  it("the operator lists and redrives them with its own principal; a service's principal may not read them", async () => {
    const key = `poison-${randomUUID()}`;
    await produceRaw("order.events.v1", [{ key, value: Buffer.from("not avro either") }]);
    const topic = `${system.topicPrefix}prescription.dlq.v1`;
    await expect
      .poll(async () => (await dlq("operator", "list", topic)).output, { timeout: 30_000 })
      .toContain(`key=${key}\tNOT_WIRE_FORMAT`);
    const redriven = await dlq("operator", "redrive", topic);
    expect(redriven.code, redriven.output).toBe(0);
    expect(redriven.output).toMatch(/redrove [1-9]\d* dead letter/);
    const refused = await dlq("shipment", "list", topic);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/not authorized/i);
  });
});

describe("contention and failures", () => {
  it.each(["order", "prescription", "inventory", "shipment", "saga-tracker"] as const)(
    "finishes every saga exactly once when %s is SIGKILLed amid a steady stream of orders",
    async (service) => {
      // A drug of its own, so the units reserved count exactly this run's orders.
      const sku = `KILL-${service}-${randomUUID().slice(0, 8)}`;
      await stockedDrug(system, sku, 1000);
      const codec = MessageCodec.connect(testEndpoints().schemaRegistryUrl);
      // The stream goes straight to Kafka (as an outside producer would), so it keeps flowing
      // while the order service itself is down.
      const orderIds: string[] = [];
      const stream = (async () => {
        for (let i = 0; i < 24; i += 1) {
          const order = {
            ...orderCreated(`kill-${service}-${i}-${randomUUID()}`),
            items: [{ sku, quantity: 2, unitPriceCents: 100 }],
          };
          await produceRaw("order.events.v1", [
            { key: order.orderId, value: await codec.encode("OrderCreated", order) },
          ]);
          orderIds.push(order.orderId);
          await new Promise((r) => setTimeout(r, 60));
        }
      })();
      // Killed once it is busy: a third of the stream is out, some sagas are mid-way.
      await expect.poll(() => orderIds.length, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(8);
      system.kill(service, "SIGKILL");
      await new Promise((r) => setTimeout(r, 300));
      await stream;
      await system.start(service);
      const outcomes = await Promise.all(orderIds.map((id) => sagaReaching(system, id, FINAL, 120_000)));
      expect(outcomes.map((saga) => saga.status)).toEqual(orderIds.map(() => "COMPLETED"));
      // Exactly once: 2 units per order reserved, one prescription per order, one shipment per order.
      const level = await get<{ reserved: number }>(system, `${system.url.inventory}/api/inventory/${sku}`);
      expect(level.reserved).toBe(2 * orderIds.length);
      for (const orderId of orderIds) {
        const prescriptions = await get<{ items: unknown[] }>(
          system,
          `${system.url.prescription}/api/prescriptions?orderId=${orderId}`,
        );
        expect(prescriptions.items, orderId).toHaveLength(1);
        const shipment = await get<{ status: string }>(
          system,
          `${system.url.shipment}/api/shipments/${orderId}`,
        );
        expect(shipment.status, orderId).toBe("INITIATED");
        // Each fact once. A restarted consumer reads the four topics independently, so a saga can
        // complete before an earlier fact of it (e.g. OrderCreated) is read: wait for all of them.
        await expect
          .poll(
            async () => (await saga(system, orderId))?.history.map((h) => `${h.step}:${h.status}`).sort(),
            {
              timeout: 30_000,
            },
          )
          .toEqual(["inventory:SUCCEEDED", "order:CREATED", "prescription:SUCCEEDED", "shipment:SUCCEEDED"]);
      }
    },
    240_000,
  );
});
