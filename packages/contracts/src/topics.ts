import { messageSchemas } from "./generated/contracts.js";
import { type TopicName } from "./messages.js";

/** How a topic is created. Every saga topic has the same partition count, so one order's records sit on the same partition number everywhere. */
export interface TopicSpec {
  name: string;
  kind: "events" | "commands" | "dead-letter";
  partitions: number;
  retentionMs: number;
  cleanupPolicy: "delete" | "compact";
}

/** Partitions of every saga topic. Changing it re-keys orders to other partitions: create new topics instead. */
export const SAGA_PARTITIONS = 6;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The services that consume saga topics; each has its own dead-letter topic. */
export const consumerServices = ["order", "prescription", "inventory", "shipment", "saga-tracker"] as const;
export type ConsumerService = (typeof consumerServices)[number];

/** The dead-letter topic of a consuming service, e.g. "inventory.dlq.v1". */
export function deadLetterTopicOf(service: ConsumerService): string {
  return `${service}.dlq.v1`;
}

function sagaTopic(name: TopicName): TopicSpec {
  const kind = name.includes(".commands.") ? "commands" : "events";
  // Events are kept long enough to rebuild the saga tracker by replay; commands only until acted on.
  const retentionMs = kind === "events" ? 30 * DAY_MS : 7 * DAY_MS;
  return { name, kind, partitions: SAGA_PARTITIONS, retentionMs, cleanupPolicy: "delete" };
}

const sagaTopicNames: TopicName[] = [...new Set(Object.values(messageSchemas).map((m) => m.topic))].sort();

/** Every topic of the system: saga events and commands, then one dead-letter topic per consuming service. */
export const topicCatalog: readonly TopicSpec[] = [
  ...sagaTopicNames.map(sagaTopic),
  ...consumerServices.map((service): TopicSpec => ({
    name: deadLetterTopicOf(service),
    kind: "dead-letter",
    partitions: 1,
    retentionMs: 30 * DAY_MS,
    cleanupPolicy: "delete",
  })),
];
