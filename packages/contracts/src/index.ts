/**
 * @fulfillment/contracts — the Kafka contracts of the fulfillment system.
 *
 * The .avsc files under schemas/ are the source of truth; the types below are generated from them.
 */
export type * from "./generated/contracts.js";
export { messageSchemas } from "./generated/contracts.js";
export {
  messageNames,
  topicOf,
  fullNameOf,
  subjectOf,
  messageNameOf,
  isMessageName,
  type MessageName,
  type TopicName,
  type MessageOn,
  type Envelope,
} from "./messages.js";
export {
  topicCatalog,
  consumerServices,
  deadLetterTopicOf,
  SAGA_PARTITIONS,
  type TopicSpec,
  type ConsumerService,
} from "./topics.js";
export {
  ensureTopics,
  applyAcls,
  deployContracts,
  requireTopics,
  type EnsureTopicsOptions,
  type DeployOptions,
} from "./topic-admin.js";
export {
  serviceTopics,
  kafkaPrincipals,
  kafkaAcls,
  consumerGroupOf,
  deadLetterToolGroupPrefix,
  OUTSIDE_PRODUCER_TOPIC,
  type ServiceTopics,
  type MessageConsumedBy,
  type KafkaPrincipal,
} from "./kafka-access.js";
export {
  kafkaAuthShape,
  kafkaSasl,
  saslOption,
  type KafkaAuthConfig,
  type KafkaCredentials,
} from "./kafka-auth.js";
export { orderCreatedProblems, orderLimits } from "./order-rules.js";
export { assertHonoursContract } from "./edge.js";
export {
  MessageCodec,
  registerSchema,
  lookupSchema,
  type DecodedMessage,
  type MessageCodecOptions,
} from "./codec.js";
export { ContractError, type ContractErrorCode } from "./errors.js";
export {
  HEADERS,
  newTraceparent,
  contextOfTraceparent,
  traceparentOf,
  traceIdOf,
  headersToStrings,
  type TraceContext,
} from "./headers.js";
