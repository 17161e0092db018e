import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["../testing/src/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
