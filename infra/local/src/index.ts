/**
 * Real Kafka (KRaft), Apicurio Registry and PostgreSQL as local processes, for development and tests.
 * @packageDocumentation
 */
export type { LocalInfraOptions } from "./config.js";
export {
  DEFAULT_KAFKA_VERSION,
  DEFAULT_KEYCLOAK_VERSION,
  DEFAULT_REGISTRY_VERSION,
  DEFAULT_ZIPKIN_VERSION,
} from "./config.js";
export type { KeycloakStatus } from "./keycloak/lifecycle.js";
export { keycloakStatus, startKeycloak, stopKeycloak } from "./keycloak/lifecycle.js";
export type { KeycloakEndpoints } from "./keycloak/server.js";
export { KEYCLOAK_ADMIN, KEYCLOAK_REALM, KEYCLOAK_REALM_FILE } from "./keycloak/server.js";
export {
  startLocalInfrastructure,
  stopLocalInfrastructure,
  startKafka,
  stopKafka,
} from "./infrastructure.js";
export type { InfraEndpoints } from "./servers.js";
export type { InfrastructureStatus, ServerStatus } from "./status.js";
export { localInfrastructureStatus } from "./status.js";
export type { ServiceDatabase } from "./postgres/databases.js";
export {
  REGISTRY_DATABASE,
  REQUIRED_DATABASES,
  SERVICE_DATABASES,
  ensureDatabases,
} from "./postgres/databases.js";
export {
  KAFKA_USERS,
  KAFKA_SASL_MECHANISM,
  type KafkaUser,
  type KafkaUserCredentials,
} from "./kafka/credentials.js";
export type { KafkajsSmokeResult } from "./kafka/kafkajs-smoke.js";
export { runKafkajsSmoke } from "./kafka/kafkajs-smoke.js";
