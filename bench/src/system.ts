import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kafkaAuthShape, kafkaSasl, saslOption, topicCatalog } from "@fulfillment/contracts";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { z } from "zod";

const kafkaAuthConfig = z.object(kafkaAuthShape);

/** The five services, their ports and databases, as scripts/services.sh starts them. */
export const SERVICES = {
  order: { port: 3001, database: "order_service" },
  prescription: { port: 3002, database: "prescription_service" },
  inventory: { port: 3003, database: "inventory_service" },
  shipment: { port: 3004, database: "shipment_service" },
  "saga-tracker": { port: 3005, database: "saga_tracker" },
} as const;

export type ServiceName = keyof typeof SERVICES;

/** The system under test on this machine: where it listens and which processes are its parts. */
export interface SystemUnderTest {
  postgresUrl: string;
  kafka: Kafka;
  /** Process ids by part: every service, PostgreSQL, Kafka, the registry. */
  processes: Map<string, number>;
}

function readPid(file: string, part: string): number {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    throw new Error(`${part} is not running (no ${file}): start the system with bash scripts/run.sh`);
  }
}

/** Finds the running system from what infra/local and scripts/services.sh recorded under `.local/`. */
export function findSystem(repoRoot: string, env: NodeJS.ProcessEnv): SystemUnderTest {
  const local = env.FULFILLMENT_LOCAL_DIR ?? join(repoRoot, ".local");
  const infra = JSON.parse(readFileSync(join(local, "infra.json"), "utf8")) as Record<
    string,
    { pid?: number } | undefined
  >;
  const processes = new Map<string, number>();
  for (const service of Object.keys(SERVICES))
    processes.set(service, readPid(join(local, "pids", `${service}.pid`), service));
  for (const [part, name] of [
    ["postgres", "PostgreSQL"],
    ["kafka", "Kafka"],
    ["registry", "registry"],
  ] as const) {
    const pid = infra[part]?.pid;
    if (pid === undefined)
      throw new Error(`${name} was not started by pnpm infra up, so its CPU cannot be read: start it so`);
    processes.set(name, pid);
  }
  const kafka = new Kafka({
    clientId: "bench",
    brokers: (env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","),
    logLevel: logLevel.ERROR,
    ...saslOption(kafkaSasl(kafkaAuthConfig.parse(env))),
  });
  return {
    postgresUrl: env.POSTGRES_URL ?? "postgres://postgres:postgres@127.0.0.1:5433/postgres",
    kafka,
    processes,
  };
}

/** Committed transactions so far in the services' databases (PostgreSQL's statistics). */
export async function committedTransactions(postgresUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string }>(
      "SELECT sum(xact_commit)::text AS commits FROM pg_stat_database WHERE datname = ANY($1)",
      [Object.values(SERVICES).map((s) => s.database)],
    );
    return Number(rows[0]?.commits ?? 0);
  } finally {
    await client.end();
  }
}

/** Records written so far to the system's topics (every partition's end offset, summed). */
export async function recordsWritten(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const { name } of topicCatalog) {
      for (const { high, low } of await admin.fetchTopicOffsets(name)) total += Number(high) - Number(low);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** The cumulative text of every service's /metrics. */
export async function scrapeMetrics(token: string): Promise<string> {
  const texts = await Promise.all(
    Object.values(SERVICES).map(async ({ port }) => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return response.ok ? response.text() : "";
    }),
  );
  return texts.join("\n");
}
