import { COMPATIBILITY, SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { testEndpoints, uniqueName } from "@fulfillment/testing";
import { describe, expect, it } from "vitest";
import { sampleOrder } from "./order.fixture.js";
import { MessageCodec, registerSchema } from "./codec.js";
import { ContractError } from "./errors.js";
import { messageSchemas } from "./generated/contracts.js";
import { messageNames } from "./messages.js";

const order = sampleOrder;

function registry(): SchemaRegistry {
  return new SchemaRegistry({ host: testEndpoints().schemaRegistryUrl });
}

describe("MessageCodec against the real registry", () => {
  it("registers every message once and gets the same ids again", async () => {
    const first = new MessageCodec(registry());
    const second = new MessageCodec(registry());
    await first.register();
    const ids = await Promise.all(messageNames.map((n) => first.schemaIdOf(n)));
    expect(new Set(ids).size).toBe(messageNames.length);
    expect(await Promise.all(messageNames.map((n) => second.schemaIdOf(n)))).toEqual(ids);
  });

  it("round-trips a message through the Confluent wire format", async () => {
    const codec = new MessageCodec(registry());
    const bytes = await codec.encode("OrderCreated", order);
    expect(bytes.readUInt8(0)).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(await codec.schemaIdOf("OrderCreated"));
    const decoded = await new MessageCodec(registry()).decode(bytes);
    expect(decoded).toMatchObject({ name: "OrderCreated", value: order });
  });

  it("refuses to encode a payload that breaks its schema, naming the field", async () => {
    const codec = new MessageCodec(registry());
    const bad = { ...order, items: [{ sku: "AMOX-500", quantity: 1.5, unitPriceCents: 1 }] };
    await expect(codec.encode("OrderCreated", bad)).rejects.toThrow(/items\.0\.quantity/);
  });

  it("reads a record written with a newer, backward-compatible version of the schema", async () => {
    const subject = `${uniqueName("evolution")}-fulfillment.order.OrderCreated`;
    const reg = registry();
    const v1 = messageSchemas.OrderCreated.schema;
    await registerSchema(reg, subject, v1);
    const v2 = {
      ...v1,
      fields: [...v1.fields, { name: "channel", type: ["null", "string"], default: null }],
    };
    const v2Id = await registerSchema(reg, subject, v2);
    const written = await reg.encode(v2Id, { ...order, channel: "mobile-app" });
    const decoded = await new MessageCodec(registry()).decode(written);
    expect(decoded.name).toBe("OrderCreated");
    expect(decoded.value).toEqual(order);
  });

  it("rejects an incompatible schema change under BACKWARD_TRANSITIVE", async () => {
    const subject = `${uniqueName("breaking")}-fulfillment.order.OrderCreated`;
    const reg = registry();
    const v1 = messageSchemas.OrderCreated.schema;
    await registerSchema(reg, subject, v1, COMPATIBILITY.BACKWARD_TRANSITIVE);
    const breaking = { ...v1, fields: [...v1.fields, { name: "loyaltyId", type: "string" }] };
    const attempt = registerSchema(reg, subject, breaking, COMPATIBILITY.BACKWARD_TRANSITIVE);
    await expect(attempt).rejects.toBeInstanceOf(ContractError);
    await expect(attempt).rejects.toMatchObject({ code: "INCOMPATIBLE_SCHEMA" });
  });
});
