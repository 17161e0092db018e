import {
  childTraceparent,
  HEADERS,
  newTraceparent,
  topicOf,
  type MessageName,
  type MessageTypes,
  type TraceContext,
} from "@fulfillment/contracts";
import type { Knex } from "knex";

/** A message to publish: its name binds the payload type and the topic. */
export type OutgoingMessage = {
  [M in MessageName]: { name: M; value: MessageTypes[M] };
}[MessageName];

/**
 * Appends messages to the outbox inside the caller's transaction, so they are published if and
 * only if the business change commits. The key is the message's orderId. `cause` carries the
 * trace of the record that led here: the correlation id is kept and a child traceparent made.
 */
export async function appendToOutbox(
  trx: Knex.Transaction,
  messages: readonly OutgoingMessage[],
  cause?: TraceContext,
): Promise<void> {
  if (messages.length === 0) return;
  await trx("outbox").insert(
    messages.map((message) => ({
      event_id: message.value.eventId,
      topic: topicOf(message.name),
      message_key: message.value.orderId,
      message_type: message.name,
      payload: JSON.stringify(message.value),
      headers: JSON.stringify({
        [HEADERS.correlationId]: cause?.correlationId ?? message.value.orderId,
        [HEADERS.traceparent]: cause ? childTraceparent(cause.traceparent) : newTraceparent(),
        [HEADERS.messageType]: message.name,
      }),
    })),
  );
}
