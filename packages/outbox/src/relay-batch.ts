import {
  ContractError,
  contextOfTraceparent,
  HEADERS,
  isMessageName,
  traceparentOf,
  type MessageCodec,
} from "@fulfillment/contracts";
import type { Span } from "@opentelemetry/api";
import type { Message, Producer } from "kafkajs";
import { endSpans, failSpan, messageAttributes, SpanKind, tracer } from "./tracing.js";

/** An outbox row as the relay reads it. */
export interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  message_type: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

export interface BatchOutcome {
  published: OutboxRow[];
  quarantined: Array<{ row: OutboxRow; error: string }>;
}

// Broker answers that will be the same however often the record is sent again.
const UNPUBLISHABLE = new Set([
  "MESSAGE_TOO_LARGE",
  "INVALID_RECORD",
  "RECORD_LIST_TOO_LARGE",
  "CORRUPT_MESSAGE",
]);

/** The broker error type behind a kafkajs error, looking through its causes. */
function brokerErrorType(error: unknown): string | undefined {
  for (let e: unknown = error; typeof e === "object" && e !== null; e = (e as { cause?: unknown }).cause) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === "string" && UNPUBLISHABLE.has(type)) return type;
  }
  return undefined;
}

/**
 * The relay's span for publishing a row (send), a child of the row's create span; the record's
 * traceparent is this span's, so the consumers' spans are its children.
 */
function sendSpan(row: OutboxRow, topic: string): Span {
  return tracer.startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: messageAttributes("send", topic, {
        eventId: row.event_id,
        orderId: row.message_key,
        type: row.message_type,
      }),
    },
    contextOfTraceparent(row.headers[HEADERS.traceparent]),
  );
}

async function encodeRow(codec: MessageCodec, row: OutboxRow, span: Span): Promise<Message> {
  if (!isMessageName(row.message_type)) {
    throw new ContractError(
      "UNKNOWN_RECORD_TYPE",
      `Outbox row ${row.id} has unknown message type ${row.message_type}`,
    );
  }
  const value = await codec.encode(row.message_type, row.payload as never);
  const headers = { ...row.headers, [HEADERS.traceparent]: traceparentOf(span.spanContext()) };
  return { key: row.message_key, value, headers };
}

/**
 * Publishes rows in order with one batched request (the idempotent producer allows one request
 * in flight). A row that can never be published — it breaks its schema, or the broker refuses it
 * (too large) — is set aside for quarantine instead of blocking the rest. Transient failures throw.
 * Each row's send span ends when its fate is known.
 */
export async function publishBatch(
  producer: Producer,
  codec: MessageCodec,
  rows: OutboxRow[],
  topicPrefix = "",
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { published: [], quarantined: [] };
  const encoded: Array<{ row: OutboxRow; message: Message; span: Span }> = [];
  const spans: Span[] = [];
  try {
    for (const row of rows) {
      const span = sendSpan(row, topicPrefix + row.topic);
      spans.push(span);
      try {
        encoded.push({ row, message: await encodeRow(codec, row, span), span });
      } catch (error) {
        if (!(error instanceof ContractError && !error.retriable)) throw error;
        failSpan(span, error);
        outcome.quarantined.push({ row, error: error.message });
      }
    }
    await sendAll(producer, encoded, topicPrefix, outcome);
  } catch (error) {
    endSpans(spans, error);
    throw error;
  }
  endSpans(spans);
  return outcome;
}

async function sendAll(
  producer: Producer,
  encoded: Array<{ row: OutboxRow; message: Message; span: Span }>,
  topicPrefix: string,
  outcome: BatchOutcome,
): Promise<void> {
  try {
    await send(producer, encoded, topicPrefix);
    outcome.published.push(...encoded.map((e) => e.row));
  } catch (error) {
    if (!brokerErrorType(error)) throw error;
    // Something in the batch is unpublishable: send one by one to find it.
    for (const item of encoded) {
      try {
        await send(producer, [item], topicPrefix);
        outcome.published.push(item.row);
      } catch (single) {
        const type = brokerErrorType(single);
        if (!type) throw single;
        failSpan(item.span, single);
        outcome.quarantined.push({ row: item.row, error: `broker refused the record: ${type}` });
      }
    }
  }
}

async function send(
  producer: Producer,
  items: Array<{ row: OutboxRow; message: Message }>,
  topicPrefix: string,
): Promise<void> {
  if (items.length === 0) return;
  const byTopic = new Map<string, Message[]>();
  for (const { row, message } of items) {
    const topic = topicPrefix + row.topic;
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
}
