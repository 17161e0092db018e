import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { requireMaven } from "./prerequisites.js";
import { runTool } from "./process/tool-run.js";
import { pathExists } from "./path-exists.js";

/** Pinned so the goal behaves the same whatever Maven version is installed. */
export const DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
/**
 * For copying one archive: 3.x also reads the artifact's parent POM, which not every Maven Central
 * mirror holds (io.apicurio:apicurio-registry:3.0.9 is missing on some); 2.8 copies without it.
 */
export const LEGACY_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:2.8";
const COMPLETE_MARKER = ".complete";

/**
 * Makes `target` hold what `goal` produces, once: runs it into a temporary sibling folder and
 * renames it into place, so an interrupted fetch never leaves a half-filled folder behind.
 * `expected` is a file the final result must contain; `announce` runs only when a fetch is needed.
 */
export async function fetchOnce(
  target: string,
  goal: (outputDirectory: string) => readonly string[],
  expected: string,
  announce: () => void,
  afterFetch: (outputDirectory: string) => Promise<void> = () => Promise.resolve(),
): Promise<boolean> {
  if (await pathExists(join(target, COMPLETE_MARKER))) return false;
  await requireMaven();
  announce();
  const partial = `${target}.partial-${process.pid}`;
  const work = `${target}.maven-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await mkdir(work, { recursive: true });
    // Run from an empty folder so no plugin leaves files in the caller's working directory.
    await runTool("mvn", ["-B", "-q", `-Dinfra.work=${work}`, ...goal(partial)], { cwd: work });
    await afterFetch(partial);
    if (!(await pathExists(join(partial, expected))))
      throw new Error(`mvn finished but ${expected} is missing from ${partial}`);
    await writeFile(join(partial, COMPLETE_MARKER), new Date().toISOString());
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
    return true;
  } finally {
    await rm(partial, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}
