import { inject } from "vitest";

/** Stops and starts the broker the tests use, where the harness controls it (local processes). */
export interface BrokerControl {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The broker's controls, or null when the broker is not ours to stop: endpoints given, or local
 * servers that were already running before the tests (they may be serving the user's system).
 */
export async function brokerControl(): Promise<BrokerControl | null> {
  const endpoints = inject("fulfillmentEndpoints");
  if (endpoints.provider !== "local" || !endpoints.ownsInfrastructure) return null;
  const { startKafka, stopKafka } = await import("@fulfillment/infra-local");
  return { stop: () => stopKafka(), start: () => startKafka() };
}
