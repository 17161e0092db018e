/**
 * The same topology as docker-compose.yml, as testcontainers, for machines with a Docker engine
 * and no endpoints given. Image versions match docker-compose.yml; keep them in step.
 * The broker here is a plain one (no SASL, no authorizer), so the tests of Kafka ACLs skip: they
 * run against the local broker (infra/local) or one given with TEST_INFRA=external.
 */
import { KafkaContainer } from "@testcontainers/kafka";
import { GenericContainer, Network, Wait } from "testcontainers";
import type { AcquiredEndpoints } from "./endpoints.js";

// cp-kafka 8.x ships Apache Kafka 4.x, the broker line the local infrastructure runs.
const KAFKA_IMAGE = "confluentinc/cp-kafka:8.1.0";
const POSTGRES_IMAGE = "postgres:18-alpine";
const REGISTRY_IMAGE = "apicurio/apicurio-registry:3.0.9";
const ZIPKIN_IMAGE = "openzipkin/zipkin:3.5.1";

export async function startContainers(): Promise<AcquiredEndpoints> {
  const network = await new Network().start();
  const postgres = await new GenericContainer(POSTGRES_IMAGE)
    .withNetwork(network)
    .withNetworkAliases("postgres")
    .withEnvironment({
      POSTGRES_USER: "postgres",
      POSTGRES_PASSWORD: "postgres",
      POSTGRES_DB: "schema_registry",
    })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const [kafka, registry, zipkin] = await Promise.all([
    new KafkaContainer(KAFKA_IMAGE).withKraft().withNetwork(network).withExposedPorts(9093).start(),
    new GenericContainer(REGISTRY_IMAGE)
      .withNetwork(network)
      .withEnvironment({
        APICURIO_STORAGE_KIND: "sql",
        APICURIO_STORAGE_SQL_KIND: "postgresql",
        APICURIO_DATASOURCE_URL: "jdbc:postgresql://postgres:5432/schema_registry",
        APICURIO_DATASOURCE_USERNAME: "postgres",
        APICURIO_DATASOURCE_PASSWORD: "postgres",
      })
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp("/apis/ccompat/v7/subjects", 8080).forStatusCode(200))
      .start(),
    new GenericContainer(ZIPKIN_IMAGE)
      .withEnvironment({ STORAGE_TYPE: "mem" })
      .withExposedPorts(9411)
      .withWaitStrategy(Wait.forHttp("/health", 9411).forStatusCode(200))
      .start(),
  ]);
  return {
    endpoints: {
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      schemaRegistryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
      postgresUrl: `postgres://postgres:postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
      zipkinUrl: `http://${zipkin.getHost()}:${zipkin.getMappedPort(9411)}`,
      provider: "testcontainers",
      ownsInfrastructure: true,
    },
    release: async () => {
      await Promise.all([kafka.stop(), registry.stop(), zipkin.stop()]);
      await postgres.stop();
      await network.stop();
    },
  };
}
