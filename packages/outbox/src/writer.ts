import { context, trace } from "@opentelemetry/api";
import {
  contextOfTraceparent,
  HEADERS,
  topicOf,
  traceparentOf,
  type MessageName,
  type MessageTypes,
  type TraceContext,
} from "@fulfillment/contracts";
import type { Knex } from "knex";
import { endSpans, messageAttributes, SpanKind, tracer } from "./tracing.js";

/** A message to publish: its name binds the payload type and the topic. */
export type OutgoingMessage = {
  [M in MessageName]: { name: M; value: MessageTypes[M] };
}[MessageName];

/**
 * Takes the order's lock until the transaction ends: one transaction at a time writes for an
 * order (re-entrant, so taking it again in the same transaction costs only the round trip).
 */
export async function lockOrderId(trx: Knex.Transaction, orderId: string): Promise<void> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [orderId]);
}

/**
 * The rows' keys are locked (as lockOrderId, in key order) before any row is inserted, in the
 * same statement: the initplan that counts the locks runs before the first row is produced. Rows
 * are inserted in the order given, so one key's ids follow it.
 */
const LOCK_KEYS_AND_INSERT = `
  WITH r AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset(?::jsonb) AS (event_id uuid, topic text, message_key text,
           message_type text, payload jsonb, headers jsonb)) WITH ORDINALITY AS r(event_id, topic, message_key,
           message_type, payload, headers, n)
  ), locked AS (
    SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT DISTINCT message_key AS k FROM r ORDER BY 1) AS keys
  )
  INSERT INTO outbox (event_id, topic, message_key, message_type, payload, headers)
  SELECT event_id, topic, message_key, message_type, payload, headers
    FROM r
   WHERE (SELECT count(*) FROM locked) >= 0
   ORDER BY n`;

/**
 * Appends messages to the outbox inside the caller's transaction, so they are published if and
 * only if the business change commits. The key is the message's orderId. `cause` carries the
 * trace of the record that led here: its correlation id is kept. Each message gets a PRODUCER
 * span (create), a child of the active span (the REST request, the handler) or else of the
 * cause's traceparent; that span's traceparent goes into the row, so the relay's send and the
 * consumers' spans continue the trace.
 *
 * Each key's lock is held from here to the commit, so two transactions never have rows of one
 * key uncommitted at once: a key's rows commit in id order, and the relay, publishing committed
 * rows in id order, keeps each key's order without waiting for unrelated transactions to end.
 */
export async function appendToOutbox(
  trx: Knex.Transaction,
  messages: readonly OutgoingMessage[],
  cause?: TraceContext,
): Promise<void> {
  if (messages.length === 0) return;
  const active = context.active();
  const parent = trace.getSpan(active) ? active : contextOfTraceparent(cause?.traceparent);
  const spans = messages.map((message) =>
    tracer.startSpan(
      `create ${topicOf(message.name)}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: messageAttributes("create", topicOf(message.name), {
          eventId: message.value.eventId,
          orderId: message.value.orderId,
          type: message.name,
        }),
      },
      parent,
    ),
  );
  const rows = messages.map((message, i) => ({
    event_id: message.value.eventId,
    topic: topicOf(message.name),
    message_key: message.value.orderId,
    message_type: message.name,
    payload: message.value,
    headers: {
      [HEADERS.correlationId]: cause?.correlationId ?? message.value.orderId,
      [HEADERS.traceparent]: traceparentOf(spans[i]!.spanContext()),
      [HEADERS.messageType]: message.name,
    },
  }));
  try {
    await trx.raw(LOCK_KEYS_AND_INSERT, [JSON.stringify(rows)]);
  } catch (error) {
    endSpans(spans, error);
    throw error;
  }
  endSpans(spans);
}
