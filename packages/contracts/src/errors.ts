/**
 * Why a record cannot be turned into a message. REGISTRY_UNAVAILABLE and UNREGISTERED_SCHEMA
 * (the deploy step has not registered it yet) may pass; every other code is permanent.
 */
export type ContractErrorCode =
  | "NOT_WIRE_FORMAT"
  | "UNKNOWN_SCHEMA_ID"
  | "UNKNOWN_RECORD_TYPE"
  | "UNEXPECTED_RECORD_TYPE"
  | "INCOMPATIBLE_SCHEMA"
  | "INVALID_CONTENT"
  | "REGISTRY_UNAVAILABLE"
  | "UNREGISTERED_SCHEMA";

/** A record or payload that breaks the contract, with a code a consumer can route on. */
export class ContractError extends Error {
  override readonly name = "ContractError";

  constructor(
    readonly code: ContractErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Transient: the same record may succeed later (the registry was unreachable). */
  get retriable(): boolean {
    return this.code === "REGISTRY_UNAVAILABLE" || this.code === "UNREGISTERED_SCHEMA";
  }
}

/** The HTTP status of an error from the schema registry client, when it carries one. */
export function registryStatusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") {
    return error.status;
  }
  return undefined;
}
