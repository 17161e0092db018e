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

/** The service's JSON logger: one line per event, patient data redacted. */
export function createLogger(service: string, level = "info"): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger } from "pino";
