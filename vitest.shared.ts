/**
 * The vitest configuration every package uses (its vitest.config.ts imports it from the root, as
 * its tsconfig extends tsconfig.base.json). Two projects: `unit` (`*.test.ts`, pure logic,
 * no servers) and `integration` (`*.int.test.ts` and e2e's `*.e2e.test.ts`, real servers found or started once by the
 * shared global setup). Each package writes a JSON report that scripts/test.sh sums up.
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const repoRoot = dirname(fileURLToPath(import.meta.url));

/**
 * Integration tests that need a server of their own besides the shared infrastructure (e.g. a
 * real Keycloak): they run as a project of their own whose extra global setup starts it, so
 * running the other tests never pays for it.
 */
export interface SeparateIntegrationProject {
  name: string;
  /** Globs relative to the package, taken out of the `integration` project. */
  include: string[];
  /** Run after the shared global setup. */
  globalSetup: string[];
}

export function packageTestConfig(
  packageDir: string,
  roots = ["src"],
  separate: readonly SeparateIntegrationProject[] = [],
): ViteUserConfig {
  const files = (suffix: string) => roots.map((root) => `${root}/**/*${suffix}`);
  const sharedSetup = join(repoRoot, "packages", "testing", "src", "global-setup.ts");
  const integration = { testTimeout: 90_000, hookTimeout: 180_000, fileParallelism: false };
  return defineConfig({
    test: {
      reporters: ["default", "json"],
      outputFile: { json: join(repoRoot, ".local", "test-results", `${basename(packageDir)}.json`) },
      passWithNoTests: true,
      projects: [
        {
          extends: true,
          test: {
            name: "unit",
            include: files(".test.ts"),
            exclude: [...files(".int.test.ts"), ...files(".e2e.test.ts")],
          },
        },
        {
          extends: true,
          test: {
            name: "integration",
            include: [...files(".int.test.ts"), ...files(".e2e.test.ts")],
            exclude: separate.flatMap((project) => project.include),
            globalSetup: [sharedSetup],
            ...integration,
          },
        },
        ...separate.map((project) => ({
          extends: true as const,
          test: {
            name: project.name,
            include: project.include,
            globalSetup: [sharedSetup, ...project.globalSetup],
            ...integration,
          },
        })),
      ],
    },
  });
}
