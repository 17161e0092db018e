import type { HarnessConfig } from "./config.js";
import type { AcquiredEndpoints } from "./endpoints.js";

const CCOMPAT_PATH = "/apis/ccompat/v7";

/** A registry URL pointing at the Confluent-compatible API, whether or not the caller gave its path. */
export function confluentApiUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.includes("/apis/ccompat/") ? trimmed : `${trimmed}${CCOMPAT_PATH}`;
}

export async function acquireEndpoints(config: HarnessConfig): Promise<AcquiredEndpoints> {
  const given = config.KAFKA_BROKERS && config.SCHEMA_REGISTRY_URL && config.DATABASE_URL;
  if (config.TEST_INFRA === "external" || (config.TEST_INFRA === "auto" && given)) {
    if (!given) {
      throw new Error(
        "TEST_INFRA=external needs KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL; set all three.",
      );
    }
    return {
      endpoints: {
        kafkaBrokers: config.KAFKA_BROKERS!.split(",").map((b) => b.trim()),
        ...(config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
          ? {
              kafkaAdmin: {
                mechanism: config.KAFKA_SASL_MECHANISM,
                username: config.KAFKA_SASL_USERNAME,
                password: config.KAFKA_SASL_PASSWORD,
              },
            }
          : {}),
        schemaRegistryUrl: confluentApiUrl(config.SCHEMA_REGISTRY_URL!),
        postgresUrl: config.DATABASE_URL!,
        ...(config.ZIPKIN_URL ? { zipkinUrl: config.ZIPKIN_URL } : {}),
        provider: "external",
        ownsInfrastructure: false,
      },
      release: () => Promise.resolve(),
    };
  }
  // Containers are opt-in (TEST_INFRA=testcontainers), as the README says: a Docker daemon that
  // happens to answer must not swap the local servers (whose broker the outage tests can stop) for them.
  if (config.TEST_INFRA === "testcontainers") {
    const { startContainers } = await import("./testcontainers.js");
    return startContainers();
  }
  const { localInfrastructureStatus, startLocalInfrastructure, stopLocalInfrastructure } =
    await import("@fulfillment/infra-local");
  const wasRunning = (await localInfrastructureStatus()).allUp;
  const started = await startLocalInfrastructure();
  return {
    endpoints: {
      kafkaBrokers: started.kafkaBrokers,
      kafkaAdmin: started.kafkaCredentials.admin,
      kafkaPrincipals: started.kafkaCredentials,
      schemaRegistryUrl: confluentApiUrl(started.schemaRegistryUrl),
      postgresUrl: started.postgresUrl,
      zipkinUrl: started.zipkinUrl,
      provider: "local",
      ownsInfrastructure: !wasRunning || config.TEST_OWNS_INFRA === "1",
    },
    release: wasRunning ? () => Promise.resolve() : () => stopLocalInfrastructure(),
  };
}
