import { ContractError } from "@fulfillment/contracts";
import { describe, expect, it } from "vitest";
import { classifyError, PermanentError } from "./errors.js";

const withCode = (code: unknown) => Object.assign(new Error("failed"), { code });
const named = (name: string, extra: object = {}) => Object.assign(new Error("failed"), { name, ...extra });

describe("error classification", () => {
  it("dead-letters a permanent error at once, whatever else it carries", () => {
    const error = new PermanentError("BAD_RECORD", "no such order", { cause: "x" });
    expect(classifyError(error)).toBe("permanent");
    expect(error).toMatchObject({ name: "PermanentError", code: "BAD_RECORD", message: "no such order" });
    expect(error.cause).toBe("x");
    expect(classifyError(Object.assign(new PermanentError("X", "y"), { code: "ECONNREFUSED" }))).toBe(
      "permanent",
    );
  });

  it("retries a contract error only while the registry may still answer", () => {
    expect(classifyError(new ContractError("REGISTRY_UNAVAILABLE", "down"))).toBe("transient");
    expect(classifyError(new ContractError("UNREGISTERED_SCHEMA", "not yet"))).toBe("transient");
    expect(classifyError(new ContractError("INVALID_CONTENT", "bad"))).toBe("permanent");
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"])(
    "retries the network failure %s",
    (code) => {
      expect(classifyError(withCode(code))).toBe("transient");
    },
  );

  it.each(["08000", "08006", "08P01", "40001", "40P01", "57P01", "57P02", "57P03", "57P04", "53300"])(
    "retries PostgreSQL's %s (the database is down, busy or asks for a retry)",
    (code) => {
      expect(classifyError(withCode(code))).toBe("transient");
    },
  );

  it.each(["23505", "57P05", "0800", "080000", "x08006", "400011", "53300x", "EACCES"])(
    "does not retry forever on the code %s",
    (code) => {
      expect(classifyError(withCode(code))).toBe("unknown");
    },
  );

  it("ignores a code that is not a string", () => {
    expect(classifyError(withCode(8006))).toBe("unknown");
    expect(classifyError(withCode(40001))).toBe("unknown");
  });

  it("retries KafkaJS errors unless they say they are not retriable", () => {
    expect(classifyError(named("KafkaJSConnectionError"))).toBe("transient");
    expect(classifyError(named("KafkaJSProtocolError", { retriable: true }))).toBe("transient");
    expect(classifyError(named("KafkaJSNonRetriableError", { retriable: false }))).toBe("unknown");
    expect(classifyError(named("NotKafkaJSError"))).toBe("unknown");
  });

  it("retries a knex pool timeout", () => {
    expect(classifyError(named("KnexTimeoutError"))).toBe("transient");
    expect(classifyError(named("TimeoutError"))).toBe("unknown");
  });

  it.each([
    "Connection terminated unexpectedly",
    "connect ECONNREFUSED 127.0.0.1:5432",
    "Knex: timeout exceeded when trying to connect",
    "CONNECTION TERMINATED",
  ])("retries an error whose message says the connection failed: %s", (message) => {
    expect(classifyError(new Error(message))).toBe("transient");
  });

  it("knows nothing about other errors and non-errors", () => {
    expect(classifyError(new Error("Connection refused by policy"))).toBe("unknown");
    expect(classifyError({ message: 42 })).toBe("unknown");
    expect(classifyError({})).toBe("unknown");
    for (const value of [null, undefined, "ECONNREFUSED", 42]) expect(classifyError(value)).toBe("unknown");
  });
});
