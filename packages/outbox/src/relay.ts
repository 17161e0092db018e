import type { MessageCodec } from "@fulfillment/contracts";
import type { Kafka, Producer } from "kafkajs";
import type { Knex } from "knex";
import pg from "pg";
import type { Logger } from "pino";
import { backoffDelay, defaultBackoff, sleep, type BackoffPolicy } from "./backoff.js";
import { publishBatch, type OutboxRow } from "./relay-batch.js";
import { deleteAndReadReady } from "./relay-read.js";
import { OUTBOX_CHANNEL } from "./schema.js";

export interface OutboxRelayOptions {
  /** Reads and deletes outbox rows. */
  knex: Knex;
  /** The same database, for the relay's own session: it holds the leader lock and LISTENs for commits. */
  databaseUrl: string;
  kafka: Kafka;
  codec: MessageCodec;
  logger: Logger;
  /** Rows per Kafka request. */
  batchSize?: number;
  /** Safety net if a notification is missed; commits normally wake the relay at once. */
  fallbackPollMs?: number;
  /** How often a standby relay tries to take over. */
  standbyRetryMs?: number;
  /** Advisory lock key: one active relay per database holds it. */
  lockKey?: number;
  /** Prefix for every topic published to, for environments that share a cluster (default none). */
  topicPrefix?: string;
}

/** Told, after each acknowledged send, each published row's time from its created_at to the ack. */
export type PublishedListener = (lagsMs: number[]) => void;

export interface RelayStats {
  active: boolean;
  /** Rows published and deleted from the outbox. */
  published: number;
  quarantined: number;
}

/** A failed relay restarts sooner than a consumer retries (at most 5 s): every hop of a saga waits on it. */
const RELAY_RESTART_BACKOFF: BackoffPolicy = { ...defaultBackoff, maxMs: 5_000 };

/**
 * Publishes committed outbox rows to Kafka in id order, waking on commit (LISTEN/NOTIFY). Only
 * the instance holding the database's advisory lock publishes; the others stand by and take over
 * when its session ends. Published rows are deleted; unpublishable ones move to outbox_quarantine.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly fallbackPollMs: number;
  private readonly standbyRetryMs: number;
  private readonly lockKey: number;
  private readonly producer: Producer;
  private readonly stopping = new AbortController();
  private wake: AbortController = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly stats: RelayStats = { active: false, published: 0, quarantined: 0 };
  private readonly publishedListeners: PublishedListener[] = [];

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.fallbackPollMs = options.fallbackPollMs ?? 1_000;
    this.standbyRetryMs = options.standbyRetryMs ?? 2_000;
    this.lockKey = options.lockKey ?? 7_331_001;
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  /** Starts relaying in the background. */
  async start(): Promise<void> {
    await this.producer.connect();
    this.loop = this.run();
  }

  /** Finishes the batch in flight, releases the lock and disconnects. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake.abort();
    await this.loop;
    await this.producer.disconnect();
  }

  /** Whether this instance is the active relay, and what it has done. */
  snapshot(): RelayStats {
    return { ...this.stats };
  }

  /**
   * Calls `listener` after every acknowledged send with the relay lag of each row in it: from the
   * row's created_at (the database's clock) to the broker's ack (this process's clock), in ms.
   * It runs on the relay's path, so it must be quick and must not throw.
   */
  onPublished(listener: PublishedListener): void {
    this.publishedListeners.push(listener);
  }

  private async run(): Promise<void> {
    const log = this.options.logger;
    for (let failures = 0; !this.stopping.signal.aborted;) {
      const session = new pg.Client({ connectionString: this.options.databaseUrl });
      const lost = new AbortController();
      session.on("error", (error) => {
        log.warn({ err: error }, "outbox relay lost its database session");
        lost.abort();
        this.wake.abort();
      });
      try {
        await session.connect();
        if (!(await this.becomeLeader(session, lost.signal))) continue;
        failures = 0;
        await this.relayWhileLeader(session, lost.signal);
      } catch (error) {
        failures += 1;
        const delay = backoffDelay(failures, RELAY_RESTART_BACKOFF);
        log.error(
          { err: error, retryInMs: delay },
          "outbox relay failed; retrying (check the database and broker)",
        );
        await sleep(delay, this.stopping.signal);
      } finally {
        this.stats.active = false;
        await session.end().catch(() => undefined);
      }
    }
  }

  private async becomeLeader(session: pg.Client, lost: AbortSignal): Promise<boolean> {
    let announced = false;
    while (!this.stopping.signal.aborted && !lost.aborted) {
      const { rows } = await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
        this.lockKey,
      ]);
      if (rows[0]?.locked) {
        this.options.logger.info("outbox relay is active");
        return true;
      }
      if (!announced) this.options.logger.info("outbox relay on standby: another instance is active");
      announced = true;
      await sleep(this.standbyRetryMs, this.stopping.signal);
    }
    return false;
  }

  /**
   * One statement per batch: it deletes the batch just published and reads the next (see
   * deleteAndReadReady), so a batch costs one round trip to the database and one to the broker.
   * Sends stay in series (the idempotent producer allows one request in flight), and nothing is
   * read while a send is in flight, so per-key order is the read order. Reading the next batch
   * during a send would save one database round trip per batch, small beside the broker's acks=all
   * one, at the price of tracking the ids in flight. After a send the loop reads again at once,
   * because that read is also the delete.
   */
  private async relayWhileLeader(session: pg.Client, lost: AbortSignal): Promise<void> {
    session.on("notification", () => this.wake.abort());
    await session.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.stats.active = true;
    let done: string[] = [];
    while (!this.stopping.signal.aborted && !lost.aborted) {
      this.wake = new AbortController();
      const rows = await deleteAndReadReady(this.options.knex, done, this.batchSize);
      this.stats.published += done.length;
      done = await this.publish(rows);
      // After a send, read again at once: that read is also the delete. Otherwise wait for a commit.
      if (rows.length === 0) await sleep(this.fallbackPollMs, this.wake.signal);
    }
    // Published rows left in the outbox would be sent again by the next leader.
    if (done.length > 0) await this.options.knex("outbox").whereIn("id", done).delete();
    this.stats.published += done.length;
  }

  /** Publishes `rows`, quarantines the unpublishable ones, and returns the ids published. */
  private async publish(rows: OutboxRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const { published, quarantined } = await publishBatch(
      this.producer,
      this.options.codec,
      rows,
      this.options.topicPrefix ?? "",
    );
    const ackedAt = Date.now();
    if (published.length > 0) {
      const lagsMs = published.map((row) => ackedAt - new Date(row.created_at).getTime());
      for (const listener of this.publishedListeners) listener(lagsMs);
    }
    if (quarantined.length > 0) await this.quarantine(quarantined);
    this.stats.quarantined += quarantined.length;
    return published.map((row) => row.id);
  }

  private async quarantine(quarantined: Array<{ row: OutboxRow; error: string }>): Promise<void> {
    await this.options.knex.transaction(async (trx) => {
      for (const { row, error } of quarantined) {
        await trx("outbox_quarantine").insert({
          ...row,
          payload: JSON.stringify(row.payload),
          headers: JSON.stringify(row.headers),
          error,
        });
        this.options.logger.error(
          { eventId: row.event_id, orderId: row.message_key, error },
          "outbox row quarantined: it can never be published",
        );
      }
      await trx("outbox")
        .whereIn(
          "id",
          quarantined.map((q) => q.row.id),
        )
        .delete();
    });
  }
}
