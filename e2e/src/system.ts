/**
 * Runs the whole system for a test file: the five services as separate `node dist/main.js`
 * processes, each with a fresh database, on free ports, with a topic prefix of their own, against
 * the real infrastructure. Service output goes to .local/e2e-logs/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  generateSigningKey,
  mintToken,
  startIssuerServer,
  type Role,
  type SigningKey,
  type TokenClaims,
} from "@fulfillment/identity";
import { deployContracts, MessageCodec } from "@fulfillment/contracts";
import { ApiContract } from "./api-contract.js";
import {
  createTestDatabase,
  freePort,
  testEndpoints,
  testKafka,
  uniqueName,
  type TestDatabase,
  type TestEndpoints,
} from "@fulfillment/testing";

export const SERVICES = ["order", "prescription", "inventory", "shipment", "saga-tracker"] as const;
export type ServiceName = (typeof SERVICES)[number];

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface RunningSystem {
  url: Record<ServiceName, string>;
  /** The services' API descriptions, fetched once: api.ts checks every response against them. */
  contract: ApiContract;
  topicPrefix: string;
  /** The issuer every service of this system trusts (an in-process local issuer), and its key. */
  issuerUrl: string;
  signingKey: SigningKey;
  /** A token from that issuer for `role` (subject defaults to the role; a patient's patient_id to the subject). */
  token(role: Role, subject?: string, claims?: Partial<TokenClaims>): Promise<string>;
  /** Where this system's services write their logs. */
  logFiles(): string[];
  /** The database a service of this system owns, for tests that inject faults into it (hold a lock). */
  databaseUrl(service: ServiceName): string;
  kill(service: ServiceName, signal: NodeJS.Signals): void;
  /** Stops a service as an operator would (SIGTERM) and resolves once its process has exited. */
  halt(service: ServiceName): Promise<void>;
  start(service: ServiceName): Promise<void>;
  /** Starts one more instance of a service with a database of its own and extra settings; returns its URL. */
  startInstance(service: ServiceName, env: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`${url} exited with code ${child.exitCode} before it was ready; see .local/e2e-logs/`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs} ms; see .local/e2e-logs/`);
}

/** The deploy step for this system's topic prefix, as `pnpm topics` runs it: topics, ACLs, schemas. */
async function deploy(endpoints: TestEndpoints, topicPrefix: string): Promise<void> {
  const admin = testKafka(endpoints, "e2e-deploy").admin();
  await admin.connect();
  try {
    await deployContracts(admin, MessageCodec.connect(endpoints.schemaRegistryUrl), { topicPrefix });
  } finally {
    await admin.disconnect();
  }
}

/** A service's own Kafka principal, as its environment; the admin's only where the harness knows no others. */
function kafkaIdentity(endpoints: TestEndpoints, service: ServiceName): Record<string, string> {
  const credentials = endpoints.kafkaPrincipals?.[service] ?? endpoints.kafkaAdmin;
  if (!credentials) return {};
  return {
    KAFKA_SASL_MECHANISM: credentials.mechanism,
    KAFKA_SASL_USERNAME: credentials.username,
    KAFKA_SASL_PASSWORD: credentials.password,
  };
}

export async function startSystem(
  extraEnv: Partial<Record<ServiceName, Record<string, string>>> = {},
): Promise<RunningSystem> {
  const endpoints = testEndpoints();
  const topicPrefix = `${uniqueName("e2e")}.`;
  await deploy(endpoints, topicPrefix);
  const key = await generateSigningKey();
  const issuer = await startIssuerServer({ keys: [key.publicJwk] });
  const logFiles: string[] = [];
  const logDir = join(repoRoot, ".local", "e2e-logs");
  mkdirSync(logDir, { recursive: true });
  const databases = new Map<ServiceName, TestDatabase>();
  const ports = new Map<ServiceName, number>();
  for (const service of SERVICES) {
    databases.set(service, await createTestDatabase(endpoints.postgresUrl, `e2e_${service}`));
    ports.set(service, await freePort());
  }
  const url = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${ports.get(s)}`])) as Record<
    ServiceName,
    string
  >;
  const children = new Map<ServiceName, ChildProcess>();

  const spawnService = async (
    service: ServiceName,
    name: string,
    port: number,
    database: TestDatabase,
    env: Record<string, string>,
  ) => {
    const logFile = join(logDir, `${topicPrefix}${name}.log`);
    if (!logFiles.includes(logFile)) logFiles.push(logFile);
    const log = createWriteStream(logFile, { flags: "a" });
    const child = spawn(process.execPath, [join(repoRoot, "services", service, "dist", "main.js")], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DATABASE_URL: database.url,
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
        ...kafkaIdentity(endpoints, service),
        SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
        TOPIC_PREFIX: topicPrefix,
        SAGA_TRACKER_URL: url["saga-tracker"],
        AUTH_ISSUER: issuer.url,
        DASHBOARD_PUBLIC_URL: url["saga-tracker"],
        // The suite sends thousands of requests (the fuzz); the limits are proven in the runtime's tests.
        RATE_LIMIT_PER_MINUTE: "1000000",
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: "1000000",
        LOG_LEVEL: "info",
        ...extraEnv[service],
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    await waitUntilReady(`http://127.0.0.1:${port}`, child);
    return child;
  };
  const start = async (service: ServiceName) => {
    children.set(
      service,
      await spawnService(service, service, ports.get(service)!, databases.get(service)!, {}),
    );
  };
  const extras: ChildProcess[] = [];
  const extraDatabases: TestDatabase[] = [];

  // The tracker first: it must not miss the first events of the others' seeds and sagas.
  for (const service of [...SERVICES].reverse()) await start(service);
  const contract = await ApiContract.load(url);

  return {
    url,
    contract,
    topicPrefix,
    issuerUrl: issuer.url,
    signingKey: key,
    token: (role, subject, claims = {}) =>
      mintToken(key, issuer.url, {
        subject: subject ?? `e2e-${role}`,
        roles: [role],
        ...(role === "patient" ? { patientId: subject ?? `e2e-${role}` } : {}),
        ...claims,
      }),
    logFiles: () => [...logFiles],
    databaseUrl: (service) => databases.get(service)!.url,
    kill: (service, signal) => {
      children.get(service)?.kill(signal);
    },
    halt: (service) => {
      const child = children.get(service);
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((done) => child.once("exit", () => done()));
      child.kill("SIGTERM");
      return exited;
    },
    start,
    startInstance: async (service, env) => {
      const database = await createTestDatabase(endpoints.postgresUrl, `e2e_${service}_extra`);
      extraDatabases.push(database);
      const port = await freePort();
      extras.push(await spawnService(service, `${service}-${extras.length}`, port, database, env));
      contract.alsoAt(service, `http://127.0.0.1:${port}`);
      return `http://127.0.0.1:${port}`;
    },
    stop: async () => {
      await Promise.all(
        [...children.values(), ...extras].map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGCONT");
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
            }),
        ),
      );
      for (const db of [...databases.values(), ...extraDatabases]) await db.drop();
      await issuer.close();
    },
  };
}
