/** @fulfillment/testing — the harness every integration and e2e test uses to reach real servers. */
import { inject } from "vitest";
import { loadHarnessConfig } from "./config.js";
import type { TestEndpoints } from "./endpoints.js";

export type { TestEndpoints, TestKafkaCredentials } from "./endpoints.js";
export { createTestDatabase, type TestDatabase } from "./databases.js";
export { uniqueName, testKafka, createTopics, readUntil, type ReadRecord } from "./kafka.js";
export { confluentApiUrl } from "./infrastructure.js";
export { freePort } from "./ports.js";

/** The endpoints of the real infrastructure this test run uses (set up by the shared global setup). */
export function testEndpoints(): TestEndpoints {
  return inject("fulfillmentEndpoints");
}

/** Log level for loggers made in tests: LOG_LEVEL, or silent. */
export function testLogLevel(): string {
  return loadHarnessConfig().LOG_LEVEL;
}
export { brokerControl, type BrokerControl } from "./broker.js";
