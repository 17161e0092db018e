import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { LEGACY_DEPENDENCY_PLUGIN, fetchOnce } from "../maven.js";
import { runTool } from "../process/tool-run.js";

/**
 * Puts Apicurio Registry's runnable Quarkus application (`io.apicurio:apicurio-registry-app:<v>:tar.gz:all`)
 * into `appDir`, unless it is already there.
 */
export function fetchRegistryApp(
  appDir: string,
  version: string,
  log: (line: string) => void,
): Promise<boolean> {
  const archive = `apicurio-registry-app-${version}-all.tar.gz`;
  const announce = () =>
    log(`registry: fetching Apicurio Registry ${version} with mvn (first run only, ~110 MB)…`);
  return fetchOnce(
    appDir,
    (output) => [
      `${LEGACY_DEPENDENCY_PLUGIN}:copy`,
      `-Dartifact=io.apicurio:apicurio-registry-app:${version}:tar.gz:all`,
      `-DoutputDirectory=${output}`,
    ],
    "lib",
    announce,
    async (output) => {
      await runTool("tar", ["-xzf", archive], { cwd: output });
      await rm(join(output, archive));
      await runnerJar(output);
    },
  );
}

/**
 * The jar to `java -jar`: `quarkus-run.jar` in the fast-jar layout (3.1+), `…-runner.jar` in the
 * legacy layout 3.0.x ships.
 */
export async function runnerJar(appDir: string): Promise<string> {
  const files = await readdir(appDir);
  const jar =
    files.find((file) => file === "quarkus-run.jar") ?? files.find((file) => file.endsWith("-runner.jar"));
  if (jar === undefined) throw new Error(`registry: no quarkus-run.jar or *-runner.jar in ${appDir}`);
  return join(appDir, jar);
}
