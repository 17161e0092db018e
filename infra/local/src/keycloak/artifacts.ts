import { rm } from "node:fs/promises";
import { join } from "node:path";
import { LEGACY_DEPENDENCY_PLUGIN, fetchOnce } from "../maven.js";
import { runTool } from "../process/tool-run.js";

/**
 * Puts Keycloak's server distribution (`org.keycloak:keycloak-quarkus-dist:<v>:tar.gz`) into
 * `distDir`, unless it is already there.
 */
export function fetchKeycloakDist(
  distDir: string,
  version: string,
  log: (line: string) => void,
): Promise<boolean> {
  const archive = `keycloak-quarkus-dist-${version}.tar.gz`;
  return fetchOnce(
    distDir,
    (output) => [
      `${LEGACY_DEPENDENCY_PLUGIN}:copy`,
      `-Dartifact=org.keycloak:keycloak-quarkus-dist:${version}:tar.gz`,
      `-DoutputDirectory=${output}`,
    ],
    join("bin", "kc.sh"),
    () => log(`keycloak: fetching Keycloak ${version} with mvn (first run only, ~180 MB)…`),
    async (output) => {
      log("keycloak: unpacking…");
      await runTool("tar", ["-xzf", archive, "--strip-components=1"], { cwd: output });
      await rm(join(output, archive));
    },
  );
}
