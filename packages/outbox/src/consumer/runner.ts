import {
  assertHonoursContract,
  headersToStrings,
  HEADERS,
  newTraceparent,
  traceIdOf,
  type MessageCodec,
  type MessageName,
  type MessageTypes,
  type TraceContext,
} from "@fulfillment/contracts";
import type { Consumer, EachMessagePayload, Kafka, Producer } from "kafkajs";
import type { Logger } from "pino";
import { backoffDelay, defaultBackoff, sleep, type BackoffPolicy } from "../backoff.js";
import { classifyError } from "../errors.js";
import { deadLetterMessage, errorCodeOf, REDRIVE_GROUP_HEADER } from "./dead-letter.js";

/** What a handler knows about the record it handles. */
export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** Pass to appendToOutbox so the records this one causes join its trace. */
  trace: TraceContext;
  /** A logger bound to the order id, event id and trace id. */
  logger: Logger;
}

/** What a consumer does with one message type. */
export type MessageHandler<M extends MessageName> = (
  value: MessageTypes[M],
  context: MessageContext,
) => Promise<void>;

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
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  handlers: MessageHandlers;
  /** The prefix of every topic name (as the services' TOPIC_PREFIX), so a record's home topic can be checked. */
  topicPrefix?: string;
  /** Partitions handled at once; a retrying partition does not stall the others. */
  partitionsConsumedConcurrently?: number;
  /** Tries for an error that is neither clearly transient nor clearly permanent, before dead-lettering. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  sessionTimeoutMs?: number;
  /** For tests: the clock used for dead-letter timestamps. */
  now?: () => Date;
}

/**
 * Consumes topics, decodes each record and dispatches it by type. Transient failures (database or
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
  private readonly backoff: BackoffPolicy;
  private readonly now: () => Date;

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? defaultBackoff;
    this.now = options.now ?? (() => new Date());
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
      eachMessage: (payload) => this.handle(payload),
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

  private async handle(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    const headers = headersToStrings(message.headers);
    const redriveFor = headers[REDRIVE_GROUP_HEADER];
    if (redriveFor !== undefined && redriveFor !== this.options.groupId) return;
    const key = message.key?.toString() ?? null;
    const trace: TraceContext = {
      correlationId: headers[HEADERS.correlationId] ?? key ?? "unknown",
      traceparent: headers[HEADERS.traceparent] ?? newTraceparent(),
    };
    let logger = this.options.logger.child({
      orderId: key,
      traceId: traceIdOf(trace.traceparent),
      topic,
      partition,
      offset: message.offset,
    });
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopping.signal.aborted) throw new Error("consumer stopping: record left for redelivery");
      try {
        const decoded = await this.options.codec.decode(message.value);
        assertHonoursContract(decoded, topic, this.options.topicPrefix);
        const handler = handlerOf(this.options.handlers, decoded.name);
        if (!handler) return;
        logger = logger.child({ eventId: decoded.value.eventId, messageType: decoded.name });
        await handler(decoded.value, {
          topic,
          partition,
          offset: message.offset,
          key,
          headers,
          trace,
          logger,
        });
        return;
      } catch (error) {
        const errorClass = classifyError(error);
        if (errorClass === "permanent" || (errorClass === "unknown" && attempt >= this.maxAttempts)) {
          await this.deadLetter(payload, error, errorClass, attempt);
          this.deadLettered += 1;
          logger.error({ err: error, errorClass, attempts: attempt }, "record dead-lettered");
          return;
        }
        const delay = backoffDelay(attempt, this.backoff);
        logger.warn({ err: error, errorClass, attempt, retryInMs: delay }, "handling failed; retrying");
        await sleep(delay, this.stopping.signal);
        await payload.heartbeat();
      }
    }
  }

  private async deadLetter(
    payload: EachMessagePayload,
    error: unknown,
    errorClass: string,
    attempts: number,
  ): Promise<void> {
    const reason = {
      code: errorCodeOf(error),
      message: error instanceof Error ? error.message : String(error),
      errorClass,
      attempts,
    };
    const origin = {
      topic: payload.topic,
      partition: payload.partition,
      message: payload.message,
      groupId: this.options.groupId,
    };
    await this.deadLetters.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [deadLetterMessage(origin, reason, this.now())],
    });
  }
}

/** The handler of a message type, typed by it (the correlation a plain index on a union loses). */
function handlerOf<M extends MessageName>(handlers: MessageHandlers, name: M): MessageHandler<M> | undefined {
  return handlers[name];
}
