/** SASL credentials of one Kafka principal, as kafkajs takes them. */
export interface TestKafkaCredentials {
  mechanism: "scram-sha-512" | "scram-sha-256" | "plain";
  username: string;
  password: string;
}

/** Endpoints of the real servers a test talks to. */
export interface TestEndpoints {
  kafkaBrokers: string[];
  /** The broker's super user, for fixtures that create topics and read anything; absent on a broker without SASL. */
  kafkaAdmin?: TestKafkaCredentials;
  /** Every principal's credentials (`order`, `outside-producer`, …), when the harness knows them (local infra). */
  kafkaPrincipals?: Record<string, TestKafkaCredentials>;
  /** Confluent-compatible API base URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  schemaRegistryUrl: string;
  /** Admin URL of a PostgreSQL server; tests create their own databases on it. */
  postgresUrl: string;
  /** Base URL of a Zipkin server (its span intake and query API), e.g. http://127.0.0.1:9411; absent when none is known. */
  zipkinUrl?: string;
  /** How they were obtained; "local" means the harness may stop and restart the local broker. */
  provider: "external" | "local" | "testcontainers";
  /**
   * Whether this test run started the servers (and stops them after). Only then may a test stop
   * the broker or the registry: servers that were already up may be serving a system you run.
   */
  ownsInfrastructure: boolean;
}

declare module "vitest" {
  export interface ProvidedContext {
    fulfillmentEndpoints: TestEndpoints;
  }
}

/** Endpoints found or started for a test run, and how to let go of them. */
export interface AcquiredEndpoints {
  endpoints: TestEndpoints;
  /** Stops what this run started; leaves alone what was already running. */
  release: () => Promise<void>;
}
