import { ContractError } from "./errors.js";
import type { DecodedMessage } from "./codec.js";
import type { MessageTypes } from "./generated/contracts.js";
import { topicOf, type MessageName } from "./messages.js";
import { orderCreatedProblems } from "./order-rules.js";

/** What a message promises beyond its Avro types, one line per problem (none: it is valid). */
const contractRules: { [M in MessageName]?: (value: MessageTypes[M]) => string[] } = {
  OrderCreated: orderCreatedProblems,
};

/**
 * What every consumer checks of a decoded record before any handler sees it, so no consumer can
 * forget it: the record belongs on the topic it came from (the catalog says where each message
 * travels), and it keeps its contract's rules. Throws a permanent ContractError otherwise: the
 * record is dead-lettered by every consumer alike, and no saga starts from it.
 */
export function assertHonoursContract(message: DecodedMessage, topic: string, topicPrefix = ""): void {
  const home = topicPrefix + topicOf(message.name);
  if (topic !== home) {
    throw new ContractError(
      "UNEXPECTED_RECORD_TYPE",
      `${message.name} belongs on ${home}, not on ${topic}: its producer published it to the wrong topic; fix the producer, and redrive the dead letter only if it is still wanted.`,
    );
  }
  const rules = contractRules[message.name] as ((value: unknown) => string[]) | undefined;
  const problems = rules?.(message.value) ?? [];
  if (problems.length > 0) {
    throw new ContractError(
      "INVALID_CONTENT",
      `${message.name} ${message.value.orderId} is invalid: ${problems.join("; ")}`,
    );
  }
}
