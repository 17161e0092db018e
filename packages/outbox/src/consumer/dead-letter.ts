import type { KafkaMessage, Message } from "kafkajs";

/** Headers a dead-letter record carries besides the original record's own. */
export const DEAD_LETTER_HEADERS = {
  errorCode: "dlq-error-code",
  errorMessage: "dlq-error-message",
  errorClass: "dlq-error-class",
  originTopic: "dlq-origin-topic",
  originPartition: "dlq-origin-partition",
  originOffset: "dlq-origin-offset",
  consumerGroup: "dlq-consumer-group",
  failedAt: "dlq-failed-at",
  attempts: "dlq-attempts",
} as const;

/** On a redriven record: the only consumer group that should process it again. */
export const REDRIVE_GROUP_HEADER = "redrive-for-group";

export interface DeadLetterReason {
  code: string;
  message: string;
  errorClass: string;
  attempts: number;
}

/** The dead-letter record for `message`: original key, value and headers, plus the error and its origin. */
export function deadLetterMessage(
  origin: { topic: string; partition: number; message: KafkaMessage; groupId: string },
  reason: DeadLetterReason,
  now: Date,
): Message {
  const { message } = origin;
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DEAD_LETTER_HEADERS.errorCode]: reason.code,
      [DEAD_LETTER_HEADERS.errorMessage]: reason.message.slice(0, 4_000),
      [DEAD_LETTER_HEADERS.errorClass]: reason.errorClass,
      [DEAD_LETTER_HEADERS.originTopic]: origin.topic,
      [DEAD_LETTER_HEADERS.originPartition]: String(origin.partition),
      [DEAD_LETTER_HEADERS.originOffset]: message.offset,
      [DEAD_LETTER_HEADERS.consumerGroup]: origin.groupId,
      [DEAD_LETTER_HEADERS.failedAt]: now.toISOString(),
      [DEAD_LETTER_HEADERS.attempts]: String(reason.attempts),
    },
  };
}

/** The code of an error, for the dead-letter header: ContractError and PermanentError codes, else its name. */
export function errorCodeOf(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === "string") return code;
    if (typeof name === "string") return name;
  }
  return "UNKNOWN";
}
