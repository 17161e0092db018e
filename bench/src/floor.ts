import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Kafka } from "kafkajs";
import pg from "pg";
import { latencyOf, parsePgbenchTps, type Latency } from "./stats.js";

const run = promisify(execFile);

/** What this machine's PostgreSQL and Kafka do at best, measured beside the system under test. */
export interface Floor {
  pgbench: { clients: number; seconds: number; tps: number; cpuMsPerTransaction: number };
  kafkaPingPong: { roundTrips: number; latency: Latency };
}

/** The shape of an outbox write: a row updated, a 300-byte row inserted, one commit. */
const OUTBOX_SHAPED_TRANSACTION = `\\set id random(1, 1000)
BEGIN;
UPDATE floor_counter SET n = n + 1 WHERE id = :id;
INSERT INTO floor_outbox (payload) VALUES (repeat('x', 300));
COMMIT;
`;

const FLOOR_DATABASE = "bench_floor";

async function prepareFloorDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [FLOOR_DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${FLOOR_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${FLOOR_DATABASE}`;
  const floor = new pg.Client({ connectionString: url.toString() });
  await floor.connect();
  try {
    await floor.query(`CREATE TABLE IF NOT EXISTS floor_counter (id int PRIMARY KEY, n bigint NOT NULL)`);
    await floor.query(
      `INSERT INTO floor_counter SELECT i, 0 FROM generate_series(1, 1000) i ON CONFLICT DO NOTHING`,
    );
    await floor.query(
      `CREATE TABLE IF NOT EXISTS floor_outbox (id bigserial PRIMARY KEY, payload text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    await floor.query("TRUNCATE floor_outbox");
  } finally {
    await floor.end();
  }
  return url.toString();
}

/**
 * pgbench running the outbox-shaped transaction from `clients` connections for `seconds`, in a
 * database of its own on the system's PostgreSQL server. `cpuOfPostgres` reads the server's CPU
 * milliseconds so far, so the cost of one transaction comes out of the same run.
 */
export async function pgbenchFloor(
  adminUrl: string,
  cpuOfPostgres: () => number,
  clients = 8,
  seconds = 10,
): Promise<Floor["pgbench"]> {
  const url = await prepareFloorDatabase(adminUrl);
  const dir = await mkdtemp(join(tmpdir(), "bench-floor-"));
  const script = join(dir, "outbox.sql");
  await writeFile(script, OUTBOX_SHAPED_TRANSACTION);
  try {
    const before = cpuOfPostgres();
    const { stdout } = await run(
      "pgbench",
      ["-n", "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", script, url],
      { maxBuffer: 10_000_000 },
    ).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT")
        throw new Error("pgbench is not installed: install it (Debian: apt-get install postgresql-client)");
      throw error;
    });
    const cpu = cpuOfPostgres() - before;
    const tps = parsePgbenchTps(stdout);
    return { clients, seconds, tps, cpuMsPerTransaction: cpu / (tps * seconds) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * One record at a time produced (idempotent, acks=all, as the relay does) and consumed back from a
 * topic of one partition on the same broker: Kafka's share of one hop of a saga.
 */
export async function kafkaPingPong(kafka: Kafka, roundTrips = 300): Promise<Floor["kafkaPingPong"]> {
  const topic = "bench.floor.ping-pong";
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(topic)) {
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  }
  await admin.disconnect();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = kafka.consumer({ groupId: `bench-floor-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), consumer.connect()]);
  const waiting = new Map<string, () => void>();
  try {
    // From the beginning: a new group's position at the end would be set by its first fetch, which
    // may come after the first ping. Earlier runs' pings are read past and ignored.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: ({ message }) => {
        waiting.get(message.key?.toString() ?? "")?.();
        return Promise.resolve();
      },
    });
    await joined;
    const once = async () => {
      const key = randomUUID();
      const arrived = new Promise<void>((resolve) => waiting.set(key, resolve));
      const started = performance.now();
      await producer.send({ topic, acks: -1, messages: [{ key, value: "ping" }] });
      await arrived;
      waiting.delete(key);
      return performance.now() - started;
    };
    // The consumer's position is set by its first fetch: warm up until records come back.
    for (let warm = 0; warm < 20; warm += 1) await once();
    const times: number[] = [];
    for (let i = 0; i < roundTrips; i += 1) times.push(await once());
    return { roundTrips, latency: latencyOf(times) };
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
  }
}
