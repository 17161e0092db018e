// Mutation testing of the pure cores (`pnpm mutation`): the deciders and state of each service's
// domain, and the outbox's backoff and error classification. Only modules without I/O, judged by
// their `*.test.ts` unit tests (vitest.mutation.config.ts). Reports and the incremental file go to
// .local/mutation/ (git-ignored); a rerun tests only mutants whose code or tests changed.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: [
    "services/*/src/domain/**/*.ts",
    "!services/*/src/domain/**/*.test.ts",
    "!services/*/src/domain/**/*.fixture.ts",
    "packages/outbox/src/backoff.ts",
    "packages/outbox/src/errors.ts",
  ],
  // Copy only what the tests need into the sandbox; node_modules are linked, not copied.
  ignorePatterns: [
    "/*",
    "!/package.json",
    "!/tsconfig.base.json",
    "!/vitest.mutation.config.ts",
    "!/services",
    "!/packages",
    "/packages/*",
    "!/packages/outbox",
    "!/packages/contracts",
    ".turbo",
  ],
  // The vitest runner of Stryker 9.3 reports no per-test coverage under vitest 4, so every mutant
  // runs every test (about 100 quick ones), and the incremental file cannot tell which mutants a
  // changed test covers: rerun with --force after changing only tests.
  coverageAnalysis: "off",
  concurrency: 2,
  incremental: true,
  incrementalFile: ".local/mutation/stryker-incremental.json",
  tempDirName: ".local/mutation/.stryker-tmp",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: ".local/mutation/report.html" },
  jsonReporter: { fileName: ".local/mutation/report.json" },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 90, low: 85, break: 85 },
  cleanTempDir: "always",
};
