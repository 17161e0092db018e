import { loadConfig, serviceConfigSchema } from "@fulfillment/runtime";
import { z } from "zod";
import { deadlineSettings, deadlinesFrom, type Deadlines } from "./domain/deadlines.js";

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = serviceConfigSchema("saga-tracker", { port: 3005, database: "saga_tracker" }).extend({
  DEADLINE_SCAN_INTERVAL_MS: ms(1_000).describe(
    "How often, in milliseconds, the tracker looks for steps and compensations past their deadline.",
  ),
  DASHBOARD_PUBLIC_URL: z
    .url()
    .default("http://127.0.0.1:3005")
    .describe("Where people reach the dashboard: the base of its sign-in redirect URI."),
  DASHBOARD_OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The dashboard's OpenID Connect client at the provider (AUTH_ISSUER), for sign-in with the authorization-code flow and PKCE. Without it, only one-time sign-in links open a session.",
    ),
  DASHBOARD_OIDC_CLIENT_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe("The secret of DASHBOARD_OIDC_CLIENT_ID, for a confidential client; a secret."),
  DASHBOARD_OIDC_ALLOW_HTTP: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("Allows a provider on plain HTTP (a local Keycloak); never in production."),
  DASHBOARD_SESSION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(480)
    .describe("How long a dashboard sign-in lasts, in minutes."),
});

/** One setting per deadline of the saga's definition (e.g. PRESCRIPTION_DEADLINE_MS), with its default. */
const deadlinesSchema = z.object(
  Object.fromEntries(
    deadlineSettings.map(({ setting, defaultMs, description }) => [
      setting,
      ms(defaultMs).describe(description),
    ]),
  ),
);

/** Every setting of the tracker, with its default and meaning (docs/operations.md is generated from it). */
export const sagaTrackerSettings = schema.extend(deadlinesSchema.shape);

export type TrackerConfig = z.infer<typeof schema> & { deadlines: Deadlines };

/** The tracker's configuration, validated once at start. */
export function loadTrackerConfig(env: NodeJS.ProcessEnv = process.env): TrackerConfig {
  return { ...loadConfig(schema, env), deadlines: deadlinesFrom(loadConfig(deadlinesSchema, env)) };
}
