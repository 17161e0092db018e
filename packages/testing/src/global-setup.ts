/**
 * Vitest global setup shared by every package: finds or starts the real infrastructure once per
 * test run and provides its endpoints to the tests (`inject("fulfillmentEndpoints")`).
 *
 * - endpoints given in the environment (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL) are used as they are;
 * - with TEST_INFRA=testcontainers (opt-in, for machines with a Docker engine), containers are started;
 * - otherwise the local processes of infra/local are started (idempotent) and left running
 *   only if they were running before.
 */
import type { TestProject } from "vitest/node";
import { loadHarnessConfig } from "./config.js";
import type { TestEndpoints } from "./endpoints.js";
import { acquireEndpoints } from "./infrastructure.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { endpoints, release } = await acquireEndpoints(loadHarnessConfig());
  project.provide("fulfillmentEndpoints", endpoints satisfies TestEndpoints);
  return release;
}
