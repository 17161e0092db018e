import { inject } from "vitest";

/** Stops and starts the broker the tests use, where the harness controls it (local processes). */
export interface BrokerControl {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** The broker's controls, or null when the endpoints were given and the broker is not ours to stop. */
export async function brokerControl(): Promise<BrokerControl | null> {
  if (inject("fulfillmentEndpoints").provider !== "local") return null;
  const { startKafka, stopKafka } = await import("@fulfillment/infra-local");
  return { stop: () => stopKafka(), start: () => startKafka() };
}
