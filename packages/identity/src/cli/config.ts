import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

const schema = z.object({
  /** Where the local issuer keeps its signing key (default `<repo>/.local/identity`). */
  IDENTITY_DIR: z
    .string()
    .min(1)
    .default(resolve(repoRoot, ".local", "identity")),
  /** The issuer URL: the `iss` of every token and where verifiers find its JWKS. */
  AUTH_ISSUER: z.url().default("http://127.0.0.1:8090"),
  AUTH_AUDIENCE: z.string().min(1).default("fulfillment"),
  /** The saga tracker's address, for one-time dashboard sign-in links. */
  DASHBOARD_URL: z.url().default("http://127.0.0.1:3005"),
});

export type IdentityCliConfig = z.infer<typeof schema>;

/** The identity CLIs' settings, read once from the environment; a bad one is named. */
export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityCliConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment (${problems}). Fix these variables and run again.`);
  }
  return parsed.data;
}
