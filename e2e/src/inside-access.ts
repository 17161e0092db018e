/**
 * What a test sees and sends from inside the system, beside its REST APIs: a service's own
 * tables (read-only, to check what the database holds), records produced as one of the system's
 * Kafka principals (to make an event arrive before another, deterministically), and the
 * counters a service exposes on /metrics.
 */
import { randomUUID } from "node:crypto";
import {
  MessageCodec,
  messageSchemas,
  type KafkaPrincipal,
  type MessageName,
  type MessageTypes,
} from "@fulfillment/contracts";
import { testEndpoints, testKafka } from "@fulfillment/testing";
import pg from "pg";
import type { RunningSystem, ServiceName } from "./system.js";

/** Rows of a query on a service's own database. */
export async function rowsOf<T>(
  system: RunningSystem,
  service: ServiceName,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: system.databaseUrl(service) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Publishes one record as `principal` (the broker's ACLs decide what it may write), keyed by
 * its order id, on the topic its type travels on. Returns the record's event id.
 */
export async function produceAs<M extends MessageName>(
  system: RunningSystem,
  principal: Exclude<KafkaPrincipal, "admin">,
  name: M,
  value: Omit<MessageTypes[M], "eventId" | "occurredAt">,
): Promise<string> {
  const endpoints = testEndpoints();
  const eventId = randomUUID();
  const record = { eventId, occurredAt: Date.now(), ...value } as unknown as MessageTypes[M];
  const encoded = await MessageCodec.connect(endpoints.schemaRegistryUrl).encode(name, record);
  const credentials = endpoints.kafkaPrincipals?.[principal] ?? endpoints.kafkaAdmin;
  const producer = testKafka(endpoints, undefined, credentials).producer();
  await producer.connect();
  try {
    await producer.send({
      topic: system.topicPrefix + messageSchemas[name].topic,
      messages: [{ key: (value as { orderId: string }).orderId, value: encoded }],
    });
  } finally {
    await producer.disconnect();
  }
  return eventId;
}

/** The value of one series of a Prometheus text exposition (0 when it is absent), by name and labels. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? "";
    if (wanted.every((pair) => labelText.includes(pair))) total += Number(match[3]);
  }
  return total;
}
