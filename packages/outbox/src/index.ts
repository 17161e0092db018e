/**
 * @fulfillment/outbox — reliable messaging for services that own a PostgreSQL database:
 * the transactional outbox (writer + relay), the inbox, and the consumer runner.
 */
export { outboxMigrations, migrationSource, OUTBOX_CHANNEL } from "./schema.js";
export { appendToOutbox, lockOrderId, type OutgoingMessage } from "./writer.js";
export {
  answerStepRequest,
  decideForOrder,
  ORDER_ALREADY_CANCELLED,
  type OrderDecision,
  type StepRequest,
} from "./decide-for-order.js";
export { OutboxRelay, type OutboxRelayOptions, type RelayStats } from "./relay.js";
export { BatchScope } from "./batch-scope.js";
export {
  ConsumerRunner,
  bindHandler,
  type ConsumerRunnerOptions,
  type MessageContext,
  type MessageHandler,
  type MessageHandlers,
  type RecordContext,
} from "./consumer/runner.js";
export { DEAD_LETTER_HEADERS, REDRIVE_GROUP_HEADER } from "./consumer/dead-letter.js";
export { PermanentError, classifyError, type ErrorClass } from "./errors.js";
export { backoffDelay, type BackoffPolicy } from "./backoff.js";
export { listDeadLetters, redriveDeadLetters, type DeadLetter } from "./consumer/dead-letter-tools.js";
