import type { z } from "zod";

/**
 * Reads and validates a service's configuration from the environment once, at start. On a bad
 * or missing variable it throws a message naming each variable and what is wrong with it.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new Error(
      `Invalid configuration:\n${problems.join("\n")}\nSet these environment variables and start again.`,
    );
  }
  return parsed.data;
}
