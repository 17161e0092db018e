import type { Server } from "node:http";
import {
  consumerGroupOf,
  deadLetterTopicOf,
  kafkaSasl,
  MessageCodec,
  requireTopics,
  saslOption,
  serviceTopics,
  type ConsumerService,
  type MessageConsumedBy,
} from "@fulfillment/contracts";
import { ConsumerRunner, migrationSource, OutboxRelay, type MessageHandlers } from "@fulfillment/outbox";
import type { Express } from "express";
import { Kafka, logLevel as kafkaLogLevel } from "kafkajs";
import knexFactory, { type Knex } from "knex";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { z } from "zod";
import type { baseConfigSchema } from "./config.js";
import { createMetricsRegistry, createServiceApp, listen, type ServiceApi } from "./http.js";
import { createLogger } from "./logger.js";
import { installGracefulShutdown, type Stoppable } from "./shutdown.js";
import { messagingMetrics } from "./metrics.js";
import { auditMigrations } from "./security/audit.js";
import type { SessionAuthenticator } from "./security/authenticate.js";
import { TokenVerifier } from "./security/token-verifier.js";
import { stopTelemetry } from "./telemetry/start.js";

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** What a service's parts are built from. */
export interface ServiceContext {
  logger: Logger;
  knex: Knex;
  kafka: Kafka;
  codec: MessageCodec;
  metrics: Registry;
  /** Verifies bearer tokens against the configured issuer (AUTH_ISSUER). */
  verifier: TokenVerifier;
}

/** A background worker with its own lifecycle, e.g. the saga tracker's deadline scanner. */
export interface Worker {
  name: string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/** A service, as its service.ts describes it. */
export interface ServiceDefinition<S extends ConsumerService = ConsumerService> {
  migrations: Record<string, Knex.Migration>;
  /** Loads demo data on first start; must be idempotent. */
  seed?: (knex: Knex) => Promise<void>;
  /** Handlers of the messages on the topics the service consumes (contracts' serviceTopics): the compiler refuses a handler for any other. */
  consumer: { handlers: MessageHandlers<MessageConsumedBy<S>> };
  /** The REST API: its authorization matrix and handlers. */
  api: ServiceApi;
  /** Pages for people outside /api, and how they authenticate (the tracker's dashboard). */
  pages?: (app: Express) => void;
  session?: SessionAuthenticator;
  workers?: Worker[];
}

export interface RunningService {
  server: Server;
  context: ServiceContext;
  stop: () => Promise<void>;
}

/**
 * Starts a service: database (migrated, seeded), a check that the deploy step created its topics
 * and registered the schemas (`pnpm topics`; the service's Kafka principal may not), outbox relay, consumer,
 * HTTP with /healthz, /readyz and /metrics, background workers, and graceful shutdown on SIGTERM.
 */
export async function runService<S extends ConsumerService>(
  config: BaseConfig & { SERVICE_NAME: S },
  define: (ctx: ServiceContext) => ServiceDefinition<S>,
): Promise<RunningService> {
  const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
  // Kept warm: a connection opened under load costs PostgreSQL a fork, so idle ones live a minute.
  const knex = knexFactory({
    client: "pg",
    connection: config.DATABASE_URL,
    pool: { min: 2, max: 10, idleTimeoutMillis: 60_000 },
  });
  const kafka = new Kafka({
    clientId: config.SERVICE_NAME,
    brokers: config.KAFKA_BROKERS,
    logLevel: kafkaLogLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    ...saslOption(kafkaSasl(config)),
  });
  const codec = MessageCodec.connect(config.SCHEMA_REGISTRY_URL, { schemas: "lookup" });
  const metrics = createMetricsRegistry(config.SERVICE_NAME);
  const verifier = new TokenVerifier(config);
  const context: ServiceContext = { logger, knex, kafka, codec, metrics, verifier };
  const definition = define(context);
  // Stopped last: the spans of the shutdown itself are exported too.
  const parts: Stoppable[] = [
    { name: "telemetry", stop: stopTelemetry },
    { name: "database", stop: () => knex.destroy() },
  ];
  try {
    return await start(config, context, definition, parts);
  } catch (error) {
    logger.fatal(
      { err: error },
      "failed to start: check that PostgreSQL, Kafka and the schema registry are reachable at the configured URLs (pnpm infra status), then start again",
    );
    for (const part of [...parts].reverse()) await part.stop().catch(() => undefined);
    throw error;
  }
}

async function start(
  config: BaseConfig,
  context: ServiceContext,
  definition: ServiceDefinition,
  parts: Stoppable[],
): Promise<RunningService> {
  const { logger, knex, kafka, codec, metrics } = context;

  logger.info("starting: migrating the database");
  await knex.migrate.latest({
    migrationSource: migrationSource({ ...auditMigrations, ...definition.migrations }),
  });
  await definition.seed?.(knex);
  const admin = kafka.admin();
  await admin.connect();
  parts.push({ name: "kafka admin", stop: () => admin.disconnect() });
  const own = serviceTopics[config.SERVICE_NAME];
  const prefixed = (topics: readonly string[]) => topics.map((topic) => config.TOPIC_PREFIX + topic);
  const consumed = prefixed(own.consumes);
  const deadLetterTopic = config.TOPIC_PREFIX + deadLetterTopicOf(config.SERVICE_NAME);
  await requireTopics(admin, [...new Set([...consumed, ...prefixed(own.produces), deadLetterTopic])]);
  await codec.resolveAll();
  const ownGroup = consumerGroupOf(config.SERVICE_NAME, config.TOPIC_PREFIX);
  const groupId = config.CONSUMER_GROUP ?? ownGroup;
  if (!groupId.startsWith(ownGroup)) {
    throw new Error(
      `CONSUMER_GROUP ${groupId} does not start with ${ownGroup}: the broker lets ${config.SERVICE_NAME} join only groups named so (e.g. ${ownGroup}-rebuild); rename it and start again.`,
    );
  }

  const relay = new OutboxRelay({
    knex,
    databaseUrl: config.DATABASE_URL,
    kafka,
    codec,
    logger: logger.child({ part: "relay" }),
    topicPrefix: config.TOPIC_PREFIX,
  });
  await relay.start();
  parts.push({ name: "outbox relay", stop: () => relay.stop() });
  const consumer = new ConsumerRunner({
    kafka,
    codec,
    logger: logger.child({ part: "consumer" }),
    knex,
    // The inbox's consumer name is the service's, whatever group it consumes in (CONSUMER_GROUP).
    inboxConsumer: config.SERVICE_NAME,
    groupId,
    topics: consumed,
    deadLetterTopic,
    handlers: definition.consumer.handlers,
    topicPrefix: config.TOPIC_PREFIX,
    sessionTimeoutMs: 10_000,
  });
  await consumer.start();
  parts.push({ name: "consumer", stop: () => consumer.stop() });
  for (const worker of definition.workers ?? []) {
    await worker.start();
    parts.push(worker);
  }
  messagingMetrics(metrics, knex, relay, consumer, {
    admin,
    groupId,
    topics: consumed,
  });

  const app = createServiceApp({
    logger,
    metrics,
    knex,
    security: config,
    verifier: context.verifier,
    api: definition.api,
    ...(definition.pages ? { pages: definition.pages } : {}),
    ...(definition.session ? { session: definition.session } : {}),
    readiness: {
      database: async () => void (await knex.raw("SELECT 1")),
      broker: async () => void (await admin.describeCluster()),
      registry: async () => {
        const response = await fetch(`${config.SCHEMA_REGISTRY_URL}/subjects`);
        if (!response.ok) throw new Error(`registry answered ${response.status}`);
      },
      consumer: () =>
        consumer.isRunning() ? Promise.resolve() : Promise.reject(new Error("consumer is not in its group")),
    },
  });
  const server = await listen(app, config.PORT);
  parts.push({ name: "http", stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  logger.info({ port: config.PORT }, "service started");
  const stop = installGracefulShutdown(logger, parts, config.SHUTDOWN_TIMEOUT_MS);
  return { server, context, stop };
}

function kafkaLogCreator(logger: Logger) {
  return () =>
    ({
      namespace,
      level,
      log,
    }: {
      namespace: string;
      level: number;
      log: { message: string } & Record<string, unknown>;
    }) => {
      const { message, ...extra } = log;
      const method =
        level <= Number(kafkaLogLevel.ERROR)
          ? "error"
          : level === Number(kafkaLogLevel.WARN)
            ? "warn"
            : "debug";
      logger[method]({ kafka: namespace, ...extra }, message);
    };
}
