import type { MessageCodec } from "@fulfillment/contracts";
import type { Kafka, Producer } from "kafkajs";
import type { Knex } from "knex";
import pg from "pg";
import type { Logger } from "pino";
import { backoffDelay, defaultBackoff, sleep, type BackoffPolicy } from "./backoff.js";
import { publishBatch, type OutboxRow } from "./relay-batch.js";
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

export interface RelayStats {
  active: boolean;
  published: number;
  quarantined: number;
}

/** A failed relay restarts sooner than a consumer retries (at most 5 s): every hop of a saga waits on it. */
const RELAY_RESTART_BACKOFF: BackoffPolicy = { ...defaultBackoff, maxMs: 5_000 };

/**
 * Rows written by transactions older than every transaction still running in this database, so
 * nothing can still commit before them: the visibility barrier that keeps ids in commit order.
 * `pg_snapshot_xmin` alone is cluster-wide, and would let a slow transaction in another service's
 * database (on the same server) hold back this relay; so the running transactions that hold their
 * xid in another database are left out. One that ends while this runs still counts (it is held by
 * nobody), which only waits a little longer.
 */
const READY_ROWS = `
  WITH elsewhere AS (
    SELECT l.transactionid::text::bigint AS xid
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
       AND a.datname IS DISTINCT FROM current_database()
  )
  SELECT id, event_id, topic, message_key, message_type, payload, headers, created_at
    FROM outbox
   WHERE txid < coalesce(
           (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
             WHERE x::text::bigint % 4294967296 NOT IN (SELECT xid FROM elsewhere)),
           pg_snapshot_xmax(pg_current_snapshot()))
   ORDER BY id LIMIT ?`;

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

  private async relayWhileLeader(session: pg.Client, lost: AbortSignal): Promise<void> {
    session.on("notification", () => this.wake.abort());
    await session.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.stats.active = true;
    while (!this.stopping.signal.aborted && !lost.aborted) {
      this.wake = new AbortController();
      const { read, heldBack } = await this.drainOnce();
      if (read === this.batchSize) continue;
      // Rows held back by a running transaction become readable when it ends, which may notify nobody.
      await sleep(heldBack ? 20 : this.fallbackPollMs, this.wake.signal);
    }
  }

  private async drainOnce(): Promise<{ read: number; heldBack: boolean }> {
    const { knex, producer, codec, logger } = { ...this.options, producer: this.producer };
    const result: { rows: OutboxRow[] } = await knex.raw(READY_ROWS, [this.batchSize]);
    const { rows } = result;
    if (rows.length === 0) {
      const waiting = await knex<{ id: string }>("outbox").first("id");
      return { read: 0, heldBack: waiting !== undefined };
    }
    const { published, quarantined } = await publishBatch(
      producer,
      codec,
      rows,
      this.options.topicPrefix ?? "",
    );
    await knex.transaction(async (trx) => {
      for (const { row, error } of quarantined) {
        await trx("outbox_quarantine").insert({
          ...row,
          payload: JSON.stringify(row.payload),
          headers: JSON.stringify(row.headers),
          error,
        });
        logger.error(
          { eventId: row.event_id, orderId: row.message_key, error },
          "outbox row quarantined: it can never be published",
        );
      }
      const done = [...published, ...quarantined.map((q) => q.row)].map((r) => r.id);
      if (done.length > 0) await trx("outbox").whereIn("id", done).delete();
    });
    this.stats.published += published.length;
    this.stats.quarantined += quarantined.length;
    return { read: rows.length, heldBack: false };
  }
}
