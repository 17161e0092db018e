/**
 * The unit tests of the pure cores, for Stryker (stryker.config.mjs) alone: no projects, no global
 * setup, no servers. A mutant is judged by the tests beside the module it mutates.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "services/*/src/domain/**/*.test.ts",
      "packages/outbox/src/backoff.test.ts",
      "packages/outbox/src/errors.test.ts",
    ],
    exclude: ["**/*.int.test.ts", "**/*.e2e.test.ts", "**/node_modules/**"],
  },
});
