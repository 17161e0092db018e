import { ContractError } from "@fulfillment/contracts";

/** A record that can never be processed (invalid content, a broken rule of the contract): dead-letter it. */
export class PermanentError extends Error {
  override readonly name = "PermanentError";

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How a failure is handled: retry until it passes, give up after a few tries, or dead-letter now. */
export type ErrorClass = "transient" | "unknown" | "permanent";

const TRANSIENT_NODE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// PostgreSQL: connection exceptions (08), serialization failure, deadlock, shutdown/crash (57P0x), too many connections.
const TRANSIENT_SQLSTATES = /^(08...|40001|40P01|57P0[1-4]|53300)$/;

/** Classifies an error: the database or broker being down is transient, a bad record permanent. */
export function classifyError(error: unknown): ErrorClass {
  if (error instanceof PermanentError) return "permanent";
  if (error instanceof ContractError) return error.retriable ? "transient" : "permanent";
  if (typeof error !== "object" || error === null) return "unknown";
  const { code, name, retriable, message } = error as {
    code?: unknown;
    name?: unknown;
    retriable?: unknown;
    message?: unknown;
  };
  if (typeof code === "string" && (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.test(code)))
    return "transient";
  if (typeof name === "string" && name.startsWith("KafkaJS") && retriable !== false) return "transient";
  if (name === "KnexTimeoutError") return "transient";
  if (
    typeof message === "string" &&
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message)
  ) {
    return "transient";
  }
  return "unknown";
}
