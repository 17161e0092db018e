/** Endpoints of the real servers a test talks to. */
export interface TestEndpoints {
  kafkaBrokers: string[];
  /** Confluent-compatible API base URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  schemaRegistryUrl: string;
  /** Admin URL of a PostgreSQL server; tests create their own databases on it. */
  postgresUrl: string;
  /** How they were obtained; "local" means the harness may stop and restart the local broker. */
  provider: "external" | "local" | "testcontainers";
}

declare module "vitest" {
  export interface ProvidedContext {
    fulfillmentEndpoints: TestEndpoints;
  }
}
