import type { LocalInfraOptions } from "./config.js";
import { kafkaServer } from "./kafka/broker.js";
import type { KafkaUser, KafkaUserCredentials } from "./kafka/credentials.js";
import type { LocalLayout } from "./paths.js";
import { localLayout } from "./paths.js";
import { postgresAnswers } from "./postgres/databases.js";
import { embeddedPostgresServer, embeddedPostgresUrl } from "./postgres/embedded.js";
import { identityServer } from "./identity/server.js";
import { keycloakServer } from "./keycloak/server.js";
import { CCOMPAT_PATH, registryServer } from "./registry/server.js";
import { zipkinServer } from "./zipkin/server.js";
import type { LifecycleContext, ManagedServer } from "./server-lifecycle.js";

/** Where clients reach the servers. */
export interface InfraEndpoints {
  /** Bootstrap brokers, e.g. `["127.0.0.1:9092"]`. */
  kafkaBrokers: string[];
  /** Confluent-compatible API base URL, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  schemaRegistryUrl: string;
  /** Admin URL of the PostgreSQL server, e.g. `postgres://postgres:postgres@127.0.0.1:5433/postgres`. */
  postgresUrl: string;
  /** The local OpenID issuer services verify tokens against (AUTH_ISSUER), e.g. `http://127.0.0.1:8090`. */
  issuerUrl: string;
  /** Where the issuer's signing key lives, for minting tokens (IDENTITY_DIR). */
  identityDir: string;
  /** The local Zipkin's base URL (UI at /zipkin, query API at /api/v2), e.g. `http://127.0.0.1:9411`. */
  zipkinUrl: string;
  /** Each Kafka principal's SASL credentials on the local broker (`admin` is its super user). */
  kafkaCredentials: Record<KafkaUser, KafkaUserCredentials>;
}

/** Everything one infra command works with, derived once from the options. */
export interface Topology {
  readonly options: LocalInfraOptions;
  readonly layout: LocalLayout;
  readonly context: LifecycleContext;
  /** The endpoints; credentials are known once the broker has been prepared (see `endpointsOf`). */
  readonly endpoints: Omit<InfraEndpoints, "kafkaCredentials">;
  readonly kafka: ManagedServer;
  readonly registry: ManagedServer;
  readonly identity: ManagedServer;
  readonly zipkin: ManagedServer;
  /** Optional: started only on request (`infra keycloak up`, tests that need a real provider). */
  readonly keycloak: ManagedServer;
  /** Undefined when `DATABASE_URL` points at an existing server we must not start or stop. */
  readonly embeddedPostgres: ManagedServer | undefined;
  readonly postgresAnswers: () => Promise<boolean>;
}

/** The servers and endpoints for these options. */
export function topology(options: LocalInfraOptions): Topology {
  const layout = localLayout(options);
  const postgresUrl = options.databaseUrl ?? embeddedPostgresUrl(options);
  return {
    options,
    layout,
    context: { stateFile: layout.stateFile, startTimeoutMs: options.startTimeoutMs, log: options.log },
    endpoints: {
      kafkaBrokers: [`${options.host}:${options.kafkaPort}`],
      schemaRegistryUrl: `http://${options.host}:${options.registryPort}${CCOMPAT_PATH}`,
      postgresUrl,
      issuerUrl: `http://${options.host}:${options.issuerPort}`,
      identityDir: layout.identity.keys,
      zipkinUrl: `http://${options.host}:${options.zipkinPort}`,
    },
    kafka: kafkaServer(options, layout),
    registry: registryServer(options, layout, postgresUrl),
    identity: identityServer(options, layout),
    zipkin: zipkinServer(options, layout),
    keycloak: keycloakServer(options, layout),
    embeddedPostgres: options.databaseUrl === undefined ? embeddedPostgresServer(options, layout) : undefined,
    postgresAnswers: () => postgresAnswers(postgresUrl),
  };
}

/** How long a command waits for another one holding the lock (a cold start fetches ~200 MB). */
export const LOCK_WAIT_MS = 20 * 60_000;
