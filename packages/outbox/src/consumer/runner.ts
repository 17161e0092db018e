import { trace as traces, type Span } from "@opentelemetry/api";
import {
  assertHonoursContract,
  contextOfTraceparent,
  headersToStrings,
  HEADERS,
  isMessageName,
  newTraceparent,
  OUTSIDE_PRODUCER_TOPIC,
  topicOf,
  traceIdOf,
  traceparentOf,
  type MessageCodec,
  type MessageName,
  type MessageTypes,
  type TraceContext,
} from "@fulfillment/contracts";
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from "kafkajs";
import type { Knex } from "knex";
import type { Logger } from "pino";
import { backoffDelay, defaultBackoff, sleep, type BackoffPolicy } from "../backoff.js";
import { classifyError } from "../errors.js";
import { BatchScope } from "../batch-scope.js";
import { processOnce } from "../inbox.js";
import { endSpans, failSpan, messageAttributes, SpanKind, tracer } from "../tracing.js";
import { deadLetterMessage, errorCodeOf, REDRIVE_GROUP_HEADER } from "./dead-letter.js";

/** What the runner knows about a record before its transaction opens. */
export interface RecordContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** Pass to appendToOutbox so the records this one causes join its trace (under the handler's span). */
  trace: TraceContext;
  /** A logger bound to the order id, event id and message type; its lines carry the trace and span ids. */
  logger: Logger;
}

/**
 * What a handler knows about the record it handles, and the transaction its effects go in: the
 * runner's, shared by the records of a batch and committed with their inbox rows, then the offsets.
 */
export interface MessageContext extends RecordContext {
  trx: Knex.Transaction;
  /** What the batch's handlers gather and write once at its end (see BatchScope). */
  batch: BatchScope;
}

/** What a consumer does with one message type. */
export type MessageHandler<M extends MessageName> = (
  value: MessageTypes[M],
  context: MessageContext,
) => Promise<unknown>;

/**
 * One handler per message type the consumer cares about, among the messages M it may receive (a
 * service's: MessageConsumedBy<service>); records of other known types are skipped.
 */
export type MessageHandlers<M extends MessageName = MessageName> = { [K in M]?: MessageHandler<K> };

/** Sets the handler of one message type: the compiler holds the handler to the message's type. */
export function bindHandler<M extends MessageName>(
  handlers: MessageHandlers<M>,
  name: M,
  handler: MessageHandler<M>,
): void {
  handlers[name] = handler;
}

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  codec: MessageCodec;
  logger: Logger;
  /** The service's database: each batch's effects, inbox rows and outbox rows commit in one transaction there. */
  knex: Knex;
  /** The consumer name of the inbox rows (default the group id). */
  inboxConsumer?: string;
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  handlers: MessageHandlers;
  /** The prefix of every topic name (as the services' TOPIC_PREFIX), so a record's home topic can be checked. */
  topicPrefix?: string;
  /** Partitions handled at once; a retrying partition does not stall the others. */
  partitionsConsumedConcurrently?: number;
  /** Records of a partition handled in one transaction at most (default 100). */
  maxBatchSize?: number;
  /** Tries for an error that is neither clearly transient nor clearly permanent, before dead-lettering. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  sessionTimeoutMs?: number;
  /** For tests: the clock used for dead-letter timestamps. */
  now?: () => Date;
}

/** A record of a batch, read and ready: its effects to run, or why it is dead-lettered, or nothing to do. */
type Prepared =
  | { kind: "skip" }
  | { kind: "reject"; message: KafkaMessage; error: unknown; logger: Logger }
  | {
      kind: "handle";
      key: string;
      eventId: string;
      /** The record's CONSUMER span, from its read to the end of its transaction. */
      span: Span;
      run: (trx: Knex.Transaction, batch: BatchScope) => Promise<void>;
    };

/**
 * Consumes topics a fetched batch at a time per partition. A batch's records are decoded, checked
 * against their topic's contract and dispatched by type inside one database transaction: one
 * multi-row inbox insert finds the records not yet seen, their handlers run in key order (so
 * concurrent batches take per-order locks in the same order), their outbox rows go in together,
 * and the partition's offset is committed once. A batch that fails other than transiently is
 * handled again record by record, so only the bad record is dead-lettered and the others commit,
 * with no double effect (the failed transaction left nothing). Transient failures (database or
 * broker down) are retried with exponential backoff, heartbeating, offset uncommitted, never
 * dead-lettered. Bad records (not Avro, unknown schema or type, invalid) and retries exhausted go to
 * the dead-letter topic with the error and origin in headers, and consumption goes on. A kafkajs
 * crash that it will not restart from is restarted here, so the consumer never dies silently.
 */
export class ConsumerRunner {
  private consumer: Consumer | undefined;
  private readonly deadLetters: Producer;
  private readonly stopping = new AbortController();
  private running = false;
  private deadLettered = 0;
  private restarts = 0;
  private readonly maxAttempts: number;
  private readonly maxBatchSize: number;
  private readonly backoff: BackoffPolicy;
  private readonly now: () => Date;
  private readonly inboxConsumer: string;
  /** Where records of types no handler takes may be skipped by their header, unread (see skippable). */
  private readonly headerTrusted: (topic: string) => boolean;

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxBatchSize = options.maxBatchSize ?? 100;
    this.backoff = options.backoff ?? defaultBackoff;
    this.now = options.now ?? (() => new Date());
    this.inboxConsumer = options.inboxConsumer ?? options.groupId;
    const outside = (options.topicPrefix ?? "") + OUTSIDE_PRODUCER_TOPIC;
    this.headerTrusted = (topic) => topic !== outside;
    this.deadLetters = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  /** Joins the group and starts consuming; resolves once the consumer runs. */
  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.startConsumer();
  }

  /** Stops fetching, lets the records in flight finish, commits their offsets and disconnects. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer?.disconnect();
    await this.deadLetters.disconnect();
    this.running = false;
  }

  /** How many records this process has sent to the dead-letter topic. */
  deadLetterCount(): number {
    return this.deadLettered;
  }

  /** Whether the consumer is in its group and consuming (for readiness). */
  isRunning(): boolean {
    return this.running;
  }

  private async startConsumer(): Promise<void> {
    const { kafka, groupId, topics, logger } = this.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.running = true));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.running = false;
      logger.error({ err: payload.error, restart: payload.restart }, "consumer crashed");
      if (!payload.restart && !this.stopping.signal.aborted) void this.restart(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async restart(crashed: Consumer): Promise<void> {
    await crashed.disconnect().catch(() => undefined);
    while (!this.stopping.signal.aborted) {
      this.restarts += 1;
      const delay = backoffDelay(this.restarts, this.backoff);
      this.options.logger.warn({ retryInMs: delay }, "restarting the crashed consumer");
      await sleep(delay, this.stopping.signal);
      try {
        await this.startConsumer();
        this.restarts = 0;
        return;
      } catch (error) {
        this.options.logger.error({ err: error }, "consumer restart failed; trying again (check the broker)");
      }
    }
  }

  /**
   * A partition's fetched records, in slices of at most maxBatchSize, each one transaction; each
   * slice's offset is resolved once it commits, and kafkajs commits the resolved offsets once the
   * fetched batch is done (a crash before that redelivers committed slices: the inbox skips them).
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    for (let from = 0; from < batch.messages.length; from += this.maxBatchSize) {
      // After a rebalance took the partition away, its new owner handles the rest.
      if (!payload.isRunning() || payload.isStale()) return;
      const slice = batch.messages.slice(from, from + this.maxBatchSize);
      await this.handleSlice(batch.topic, batch.partition, slice, heartbeat);
      payload.resolveOffset(slice[slice.length - 1]!.offset);
      await heartbeat();
    }
  }

  private async handleSlice(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    heartbeat: () => Promise<void>,
    // Bad records are dead-lettered before the records after them are applied, once per slice
    // however often it is retried or split (offsets of the letters sent).
    deadLettered = new Set<string>(),
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopping.signal.aborted) throw new Error("consumer stopping: records left for redelivery");
      try {
        const prepared = await Promise.all(
          messages.map((message) => this.prepare(topic, partition, message)),
        );
        for (const p of prepared) {
          if (p.kind !== "reject" || deadLettered.has(p.message.offset)) continue;
          await this.deadLetter(topic, partition, p.message, p.error, "permanent", 1, p.logger);
          deadLettered.add(p.message.offset);
        }
        const handled = prepared.flatMap((p) => (p.kind === "handle" ? [p] : []));
        // Stable: one key's records keep their order; keys come in the same order in every batch.
        handled.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        const batch = new BatchScope();
        const spans = handled.map((p) => p.span);
        try {
          await processOnce(
            this.options.knex,
            this.inboxConsumer,
            handled.map((p) => ({ eventId: p.eventId, run: (trx) => p.run(trx, batch) })),
            () => batch.flush(),
          );
        } catch (error) {
          endSpans(spans, error);
          throw error;
        }
        endSpans(spans);
        return;
      } catch (error) {
        const errorClass = classifyError(error);
        if (messages.length > 1 && errorClass !== "transient") {
          // Which record failed is unknown, and the transaction left nothing: one by one finds it.
          this.options.logger.warn(
            { err: error, errorClass, topic, partition, records: messages.length },
            "a batch failed; handling its records one by one",
          );
          for (const message of messages)
            await this.handleSlice(topic, partition, [message], heartbeat, deadLettered);
          return;
        }
        const [message] = messages;
        const logger = this.options.logger.child({
          orderId: message?.key?.toString() ?? null,
          topic,
          partition,
          offset: message?.offset,
        });
        if (errorClass === "permanent" || (errorClass === "unknown" && attempt >= this.maxAttempts)) {
          await this.deadLetter(topic, partition, message!, error, errorClass, attempt, logger);
          return;
        }
        const delay = backoffDelay(attempt, this.backoff);
        logger.warn({ err: error, errorClass, attempt, retryInMs: delay }, "handling failed; retrying");
        await sleep(delay, this.stopping.signal);
        await heartbeat();
      }
    }
  }

  /**
   * Records on topics this system's services write carry their message type in a header, which
   * their producer (our relay) sets from the same row it encodes: a record of a type no handler
   * here takes is skipped unread (most of the lifecycle topic, for the services that need only a
   * saga's outcome). On the topic outside producers write, the header is not trusted.
   */
  private skippable(topic: string, headers: Record<string, string>): boolean {
    const type = headers[HEADERS.messageType];
    return (
      type !== undefined &&
      this.headerTrusted(topic) &&
      isMessageName(type) &&
      (this.options.topicPrefix ?? "") + topicOf(type) === topic &&
      handlerOf(this.options.handlers, type) === undefined
    );
  }

  /** Decodes and checks a record. Throws what may pass on a retry (the registry unreachable). */
  private async prepare(topic: string, partition: number, message: KafkaMessage): Promise<Prepared> {
    const headers = headersToStrings(message.headers);
    const redriveFor = headers[REDRIVE_GROUP_HEADER];
    if (redriveFor !== undefined && redriveFor !== this.options.groupId) return { kind: "skip" };
    if (this.skippable(topic, headers)) return { kind: "skip" };
    const key = message.key?.toString() ?? null;
    const readAt = Date.now();
    const correlationId = headers[HEADERS.correlationId] ?? key ?? "unknown";
    const traceparent = headers[HEADERS.traceparent] ?? newTraceparent();
    const bindings = { orderId: key, topic, partition, offset: message.offset };
    let decoded;
    try {
      decoded = await this.options.codec.decode(message.value);
      assertHonoursContract(decoded, topic, this.options.topicPrefix);
    } catch (error) {
      if (classifyError(error) === "transient") throw error;
      const logger = this.options.logger.child({ ...bindings, trace_id: traceIdOf(traceparent) });
      return { kind: "reject", message, error, logger };
    }
    const handler = handlerOf(this.options.handlers, decoded.name);
    if (!handler) return { kind: "skip" };
    const { value, name } = decoded;
    const parent = contextOfTraceparent(traceparent);
    const span = tracer.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        startTime: readAt,
        attributes: {
          ...messageAttributes("process", topic, { eventId: value.eventId, orderId: key, type: name }),
          "messaging.destination.partition.id": String(partition),
          "messaging.kafka.offset": Number(message.offset),
          "messaging.consumer.group.name": this.options.groupId,
        },
      },
      parent,
    );
    const consuming = traces.setSpan(parent, span);
    const logger = this.options.logger.child({
      ...bindings,
      // Inside a recorded span the logger adds the span's ids itself; otherwise the record's trace id.
      ...(span.isRecording() ? {} : { trace_id: traceIdOf(traceparent) }),
      eventId: value.eventId,
      messageType: name,
    });
    const context: RecordContext = {
      topic,
      partition,
      offset: message.offset,
      key,
      headers,
      trace: { correlationId, traceparent },
      logger,
    };
    return {
      kind: "handle",
      key: key ?? "",
      eventId: value.eventId,
      span,
      run: (trx, batch) =>
        tracer.startActiveSpan(`handle ${name}`, {}, consuming, async (handling) => {
          const trace = { correlationId, traceparent: traceparentOf(handling.spanContext()) };
          try {
            await handler(value, { ...context, trace, trx, batch });
          } catch (error) {
            failSpan(handling, error);
            throw error;
          } finally {
            handling.end();
          }
        }),
    };
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    errorClass: string,
    attempts: number,
    logger: Logger,
  ): Promise<void> {
    const reason = {
      code: errorCodeOf(error),
      message: error instanceof Error ? error.message : String(error),
      errorClass,
      attempts,
    };
    const origin = { topic, partition, message, groupId: this.options.groupId };
    await this.deadLetters.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [deadLetterMessage(origin, reason, this.now())],
    });
    this.deadLettered += 1;
    logger.error({ err: error, errorClass, attempts }, "record dead-lettered");
  }
}

/** The handler of a message type, typed by it (the correlation a plain index on a union loses). */
function handlerOf<M extends MessageName>(handlers: MessageHandlers, name: M): MessageHandler<M> | undefined {
  return handlers[name];
}
