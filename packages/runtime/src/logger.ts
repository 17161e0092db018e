import { pino, type Logger } from "pino";

/** Fields holding patient data: never written to logs. */
export const REDACTED_PATHS = [
  "patientId",
  "*.patientId",
  "shippingAddress",
  "*.shippingAddress",
  "req.headers.authorization",
  "body.shippingAddress",
];

/**
 * The service's JSON logger: one line per event, patient data redacted. Lines are written to
 * stdout asynchronously, so a handler never waits on the terminal or the log file; pino flushes
 * what is pending when the process exits (a SIGKILL loses the lines of its last moment).
 */
export function createLogger(service: string, level = "info"): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

export type { Logger } from "pino";
