import { messageSchemas, type MessageTypes } from "./generated/contracts.js";

/** The record name of every message of the system, e.g. "OrderCreated". */
export type MessageName = keyof MessageTypes;

/** A topic that carries messages of the saga, e.g. "order.events.v1". */
export type TopicName = (typeof messageSchemas)[MessageName]["topic"];

/** The messages that travel on topic T: what a publisher may put there and a consumer may get. */
export type MessageOn<T extends TopicName> = {
  [M in MessageName]: (typeof messageSchemas)[M]["topic"] extends T ? M : never;
}[MessageName];

/** A message together with its name: the discriminated union a consumer switches over. */
export type Envelope<M extends MessageName = MessageName> = {
  [K in M]: { name: K; value: MessageTypes[K] };
}[M];

/** Every message name, in a stable order. */
export const messageNames = Object.keys(messageSchemas) as MessageName[];

/** The topic a message is published to. */
export function topicOf(name: MessageName): TopicName {
  return messageSchemas[name].topic;
}

/** The Avro full name of a message's record, e.g. "fulfillment.order.OrderCreated". */
export function fullNameOf(name: MessageName): string {
  return messageSchemas[name].fullName;
}

/** The registry subject of a message, by the topic-record naming strategy: `<topic>-<namespace>.<Record>`. */
export function subjectOf(name: MessageName): string {
  return `${topicOf(name)}-${fullNameOf(name)}`;
}

const byFullName = new Map<string, MessageName>(messageNames.map((name) => [fullNameOf(name), name]));

/** The message a record's Avro full name stands for, or undefined when it is not one of ours. */
export function messageNameOf(fullName: string): MessageName | undefined {
  return byFullName.get(fullName);
}

/** Whether a string names a message of this system. */
export function isMessageName(name: string): name is MessageName {
  return Object.hasOwn(messageSchemas, name);
}
