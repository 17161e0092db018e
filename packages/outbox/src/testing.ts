/**
 * For a service's integration tests (`@fulfillment/outbox/testing`): a database of the test's own
 * with the service's migrations, the context the consumer runner hands a handler, and what the
 * handlers wrote to the outbox. Real PostgreSQL, no broker: the handlers run as the runner runs them.
 */
import { newTraceparent, topicOf, type MessageName } from "@fulfillment/contracts";
import { createTestDatabase, testEndpoints, testLogLevel } from "@fulfillment/testing";
import knexFactory, { type Knex } from "knex";
import { pino, type Logger } from "pino";
import { BatchScope } from "./batch-scope.js";
import type { MessageContext, MessageHandler, MessageHandlers, RecordContext } from "./consumer/runner.js";
import { processOnce } from "./inbox.js";
import { migrationSource } from "./schema.js";

interface ServiceTestDatabase {
  knex: Knex;
  /** The message types the handlers wrote to the outbox for an order, oldest first, with their payloads. */
  outboxOf(orderId: string): Promise<Array<{ message_type: string; payload: Record<string, unknown> }>>;
  drop(): Promise<void>;
}

/** A fresh database named after `name`, migrated with the service's migrations (outbox and inbox included). */
async function migratedTestDatabase(
  name: string,
  migrations: Record<string, Knex.Migration>,
  poolMax = 4,
): Promise<ServiceTestDatabase> {
  const database = await createTestDatabase(testEndpoints().postgresUrl, name);
  const knex = knexFactory({ client: "pg", connection: database.url, pool: { min: 0, max: poolMax } });
  await knex.migrate.latest({ migrationSource: migrationSource(migrations) });
  return {
    knex,
    outboxOf: (orderId) =>
      knex("outbox")
        .where({ message_key: orderId })
        .orderBy("id")
        .select<Array<{ message_type: string; payload: Record<string, unknown> }>>("message_type", "payload"),
    drop: async () => {
      await knex.destroy();
      await database.drop();
    },
  };
}

/** The context a handler gets for a record of `name` about `orderId`, as the consumer runner builds it. */
function deliveredContext(orderId: string, name: MessageName, logger: Logger): RecordContext {
  return {
    topic: topicOf(name),
    partition: 0,
    offset: "0",
    key: orderId,
    headers: {},
    trace: { correlationId: orderId, traceparent: newTraceparent() },
    logger,
  };
}

/** A service's handlers as the test calls them: each delivery runs in its own inbox transaction, as a batch of one. */
export type DeliveredHandlers<H> = {
  [K in keyof H]-?: H[K] extends MessageHandler<infer M> | undefined
    ? (value: Parameters<MessageHandler<M>>[0], context: RecordContext) => Promise<void>
    : never;
};

/** What a handler test file works with, ready once its beforeAll has run. */
export interface HandlerTestBed<H> {
  readonly knex: Knex;
  /** The service's handlers, run as the consumer runner runs them: in a transaction with the inbox row of `inboxConsumer`. */
  readonly handlers: DeliveredHandlers<H>;
  readonly logger: Logger;
  outboxOf: ServiceTestDatabase["outboxOf"];
  /** The context of a record of `name` about `orderId`. */
  readonly context: (orderId: string, name: MessageName) => RecordContext;
  /** For beforeAll: creates and migrates the database, and builds the handlers on it. */
  readonly setUp: () => Promise<void>;
  /** For afterAll: drops the database. */
  readonly tearDown: () => Promise<void>;
}

/**
 * A handler test file's database and handlers: `beforeAll(bed.setUp)` makes a migrated database of
 * its own and the service's handlers on it (`build`, which may also seed), each run in an inbox
 * transaction of `inboxConsumer` (the service's name, as the runtime's runner uses); `afterAll(bed.tearDown)`
 * drops it.
 */
export function handlerTestBed<H extends MessageHandlers>(
  name: string,
  inboxConsumer: string,
  migrations: Record<string, Knex.Migration>,
  build: (knex: Knex, logger: Logger) => H | Promise<H>,
  options: { poolMax?: number } = {},
): HandlerTestBed<H> {
  const logger = pino({ name, level: testLogLevel() });
  let database: ServiceTestDatabase | undefined;
  let handlers: DeliveredHandlers<H> | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`${name}: the test bed is used before its beforeAll ran`);
    return value;
  };
  return {
    setUp: async () => {
      database = await migratedTestDatabase(name, migrations, options.poolMax);
      const { knex } = database;
      const built: MessageHandlers = await build(knex, logger);
      handlers = Object.fromEntries(
        Object.entries(built).map(([type, handler]) => [
          type,
          async (value: { eventId: string }, context: RecordContext) => {
            const run = handler as (v: unknown, c: MessageContext) => Promise<void>;
            const batch = new BatchScope();
            await processOnce(
              knex,
              inboxConsumer,
              [{ eventId: value.eventId, run: (trx) => run(value, { ...context, trx, batch }) }],
              () => batch.flush(),
            );
          },
        ]),
      ) as unknown as DeliveredHandlers<H>;
    },
    tearDown: async () => {
      await database?.drop();
    },
    get knex() {
      return ready(database).knex;
    },
    get handlers() {
      return ready(handlers);
    },
    logger,
    outboxOf: (orderId) => ready(database).outboxOf(orderId),
    context: (orderId, message) => deliveredContext(orderId, message, logger),
  };
}
