import kafkajs, { type AclEntry } from "kafkajs";
import type { MessageOn, TopicName } from "./messages.js";
import { consumerServices, deadLetterTopicOf, type ConsumerService } from "./topics.js";

/** What one service does on Kafka: the topics it consumes and the topics it alone writes. */
export interface ServiceTopics {
  consumes: readonly TopicName[];
  produces: readonly TopicName[];
}

/**
 * Who reads and writes each topic: the one definition the services subscribe from and the
 * broker's ACLs are derived from. A service also writes its own dead-letter topic.
 */
const declaredTopics = {
  order: {
    consumes: ["order.events.v1", "order.commands.v1", "fulfillment.saga.v1"],
    produces: ["order.events.v1"],
  },
  prescription: {
    consumes: ["order.events.v1", "prescription.commands.v1"],
    produces: ["prescription.events.v1"],
  },
  inventory: {
    consumes: ["prescription.events.v1", "inventory.commands.v1", "fulfillment.saga.v1"],
    produces: ["inventory.events.v1"],
  },
  shipment: {
    consumes: ["order.events.v1", "inventory.events.v1", "fulfillment.saga.v1"],
    produces: ["shipment.events.v1"],
  },
  "saga-tracker": {
    consumes: ["order.events.v1", "prescription.events.v1", "inventory.events.v1", "shipment.events.v1"],
    produces: [
      "fulfillment.saga.v1",
      "order.commands.v1",
      "prescription.commands.v1",
      "inventory.commands.v1",
    ],
  },
} as const satisfies Readonly<Record<ConsumerService, ServiceTopics>>;

export const serviceTopics: Readonly<Record<ConsumerService, ServiceTopics>> = declaredTopics;

/** The messages service S may receive: those of the topics it consumes. Its handlers are typed by it. */
export type MessageConsumedBy<S extends ConsumerService> = MessageOn<
  (typeof declaredTopics)[S]["consumes"][number]
>;

/** The public entry point: the only topic an outside producer (a shop front, a partner) may write. */
export const OUTSIDE_PRODUCER_TOPIC: TopicName = "order.events.v1";

/**
 * The Kafka principals of the system (SASL user names). `admin` is the broker's super user, for
 * deploy steps only; each service has its own; `outside-producer` may only publish OrderCreated;
 * `operator` reads dead letters and redrives them.
 */
export const kafkaPrincipals = ["admin", ...consumerServices, "outside-producer", "operator"] as const;
export type KafkaPrincipal = (typeof kafkaPrincipals)[number];

/** The consumer group a service joins: its name behind the environment's topic prefix. */
export function consumerGroupOf(service: ConsumerService, topicPrefix = ""): string {
  return `${topicPrefix}${service}`;
}

/** Consumer groups of the dead-letter tools for `deadLetterTopic` all start with this. */
export function deadLetterToolGroupPrefix(deadLetterTopic: string): string {
  return `${deadLetterTopic}.`;
}

// Node's ESM loader cannot see these CommonJS exports by name; the default export holds them.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

type Grant = readonly [
  resourceType: AclEntry["resourceType"],
  name: string,
  pattern: AclEntry["resourcePatternType"],
  operations: ReadonlyArray<AclEntry["operation"]>,
];

const { TOPIC, GROUP } = AclResourceTypes;
const { LITERAL, PREFIXED } = ResourcePatternTypes;
const { READ, WRITE, DESCRIBE, DELETE } = AclOperationTypes;

function grantsOf(principal: Exclude<KafkaPrincipal, "admin">, prefix: string): Grant[] {
  const topic = (name: string) => prefix + name;
  if (principal === "outside-producer")
    return [[TOPIC, topic(OUTSIDE_PRODUCER_TOPIC), LITERAL, [WRITE, DESCRIBE]]];
  if (principal === "operator") {
    const redriveTargets = [...new Set(consumerServices.flatMap((s) => serviceTopics[s].consumes))];
    return [
      ...consumerServices.flatMap((service): Grant[] => {
        const deadLetters = topic(deadLetterTopicOf(service));
        return [
          [TOPIC, deadLetters, LITERAL, [READ, DESCRIBE]],
          [GROUP, deadLetterToolGroupPrefix(deadLetters), PREFIXED, [READ, DESCRIBE, DELETE]],
        ];
      }),
      ...redriveTargets.map((name): Grant => [TOPIC, topic(name), LITERAL, [WRITE, DESCRIBE]]),
    ];
  }
  const { consumes, produces } = serviceTopics[principal];
  return [
    ...consumes.map((name): Grant => [TOPIC, topic(name), LITERAL, [READ, DESCRIBE]]),
    ...[...produces, deadLetterTopicOf(principal)].map((name): Grant => [
      TOPIC,
      topic(name),
      LITERAL,
      [WRITE, DESCRIBE],
    ]),
    // Prefixed, so a replay under a new group (e.g. saga-tracker-rebuild-2) stays the service's own.
    [GROUP, consumerGroupOf(principal, prefix), PREFIXED, [READ, DESCRIBE]],
  ];
}

/**
 * The ALLOW entries that give each principal exactly its rights on the topics and groups behind
 * `topicPrefix`; everything else is refused by the broker's authorizer (no ACL, no access).
 */
export function kafkaAcls(topicPrefix = ""): AclEntry[] {
  return kafkaPrincipals
    .filter((p): p is Exclude<KafkaPrincipal, "admin"> => p !== "admin")
    .flatMap((principal) =>
      grantsOf(principal, topicPrefix).flatMap(
        ([resourceType, resourceName, resourcePatternType, operations]) =>
          operations.map((operation): AclEntry => ({
            principal: `User:${principal}`,
            host: "*",
            permissionType: AclPermissionTypes.ALLOW,
            operation,
            resourceType,
            resourceName,
            resourcePatternType,
          })),
      ),
    );
}
