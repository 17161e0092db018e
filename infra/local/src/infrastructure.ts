import type { LocalInfraOptions } from "./config.js";
import { loadOptions } from "./config.js";
import { withLock } from "./lock.js";
import { kafkaSecretsFile } from "./kafka/broker.js";
import { readKafkaSecrets } from "./kafka/credentials.js";
import { ensureDatabases } from "./postgres/databases.js";
import { elapsed } from "./process/probe.js";
import { ensureRunning, ensureStopped } from "./server-lifecycle.js";
import type { InfraEndpoints, Topology } from "./servers.js";
import { LOCK_WAIT_MS, topology } from "./servers.js";
import { readState, recordServer } from "./state.js";

/**
 * Starts PostgreSQL (unless `DATABASE_URL` is given), creates the system's databases, then starts
 * Kafka, Apicurio Registry, the local issuer and Zipkin, and resolves once every server answers. Idempotent: servers that
 * already answer are left as they are. Safe to call from parallel processes (a lock serialises them).
 */
export async function startLocalInfrastructure(
  options: Partial<LocalInfraOptions> = {},
): Promise<InfraEndpoints> {
  const infra = topology(loadOptions(options));
  return withLock(infra.layout.lockDir, LOCK_WAIT_MS, async () => {
    const startedAt = Date.now();
    await startPostgres(infra);
    await settleAll([
      ensureRunning(infra.kafka, infra.context),
      ensureRunning(infra.registry, infra.context),
      ensureRunning(infra.identity, infra.context),
      ensureRunning(infra.zipkin, infra.context),
    ]);
    infra.options.log(
      `all up (${elapsed(startedAt)}): kafka ${infra.endpoints.kafkaBrokers.join(",")} (SASL), registry ${infra.endpoints.schemaRegistryUrl}, postgres ${redact(infra.endpoints.postgresUrl)}, issuer ${infra.endpoints.issuerUrl}, zipkin ${infra.endpoints.zipkinUrl}`,
    );
    return endpointsOf(infra);
  });
}

/** The endpoints with the Kafka users' credentials, which exist once the broker was first started. */
async function endpointsOf(infra: Topology): Promise<InfraEndpoints> {
  const secrets = await readKafkaSecrets(kafkaSecretsFile(infra.layout));
  if (!secrets)
    throw new Error("kafka: no SASL credentials yet; start the infrastructure with pnpm infra up");
  return { ...infra.endpoints, kafkaCredentials: secrets.users };
}

/** Stops what infra/local started (Keycloak too, if it was), registry first and PostgreSQL last. Idempotent. */
export async function stopLocalInfrastructure(options: Partial<LocalInfraOptions> = {}): Promise<void> {
  const infra = topology(loadOptions(options));
  await withLock(infra.layout.lockDir, LOCK_WAIT_MS, async () => {
    if ((await readState(infra.layout.stateFile)).keycloak)
      await ensureStopped(infra.keycloak, infra.context);
    await ensureStopped(infra.zipkin, infra.context);
    await ensureStopped(infra.identity, infra.context);
    await ensureStopped(infra.registry, infra.context);
    await ensureStopped(infra.kafka, infra.context);
    if (infra.embeddedPostgres) await ensureStopped(infra.embeddedPostgres, infra.context);
    else infra.options.log("postgres: external (DATABASE_URL), left running");
  });
}

/** Starts only the Kafka broker (e.g. after `stopKafka()` in a test that proves no message is lost). */
export async function startKafka(options: Partial<LocalInfraOptions> = {}): Promise<void> {
  const infra = topology(loadOptions(options));
  await withLock(infra.layout.lockDir, LOCK_WAIT_MS, () => ensureRunning(infra.kafka, infra.context));
}

/** Stops only the Kafka broker, if infra/local started it; data stays, so `startKafka()` resumes it. */
export async function stopKafka(options: Partial<LocalInfraOptions> = {}): Promise<void> {
  const infra = topology(loadOptions(options));
  await withLock(infra.layout.lockDir, LOCK_WAIT_MS, () => ensureStopped(infra.kafka, infra.context));
}

async function startPostgres(infra: Topology): Promise<void> {
  const { options, endpoints } = infra;
  if (infra.embeddedPostgres) {
    await ensureRunning(infra.embeddedPostgres, infra.context);
  } else {
    if (!(await infra.postgresAnswers())) {
      throw new Error(
        `postgres: DATABASE_URL ${redact(endpoints.postgresUrl)} does not answer "select 1"; start that server or unset DATABASE_URL to use the embedded one`,
      );
    }
    options.log(`postgres: using DATABASE_URL ${redact(endpoints.postgresUrl)}`);
    await recordServer(infra.layout.stateFile, "postgres", {
      endpoint: redact(endpoints.postgresUrl),
      startedAt: new Date().toISOString(),
    });
  }
  const created = await ensureDatabases(endpoints.postgresUrl);
  if (created.length > 0) options.log(`postgres: created databases ${created.join(", ")}`);
}

/** Waits for every start, then fails with all the distinct reasons rather than only the first. */
async function settleAll(starts: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(starts);
  const failures = results.flatMap((result) =>
    result.status === "rejected" ? [toError(result.reason)] : [],
  );
  const first = failures[0];
  if (first === undefined) return;
  const messages = [...new Set(failures.map((failure) => failure.message))];
  throw messages.length === 1 ? first : new AggregateError(failures, messages.join("\n"));
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** The URL without its password, for logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
