import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { javaMajorVersion } from "../prerequisites.js";
import { runTool } from "../process/tool-run.js";

const JVM_DIR = "/usr/lib/jvm";
const MINIMUM = 21;
const HINT = `install a JDK ${MINIMUM}+ under ${JVM_DIR} (e.g. Temurin 25) or set KEYCLOAK_JAVA_HOME to one`;

/**
 * The JAVA_HOME Keycloak runs with: KEYCLOAK_JAVA_HOME when given, else the newest JDK 21+ under
 * /usr/lib/jvm. Only Keycloak gets it; Kafka and the registry keep the `java` on PATH.
 */
export async function keycloakJavaHome(configured: string | undefined): Promise<string> {
  if (configured !== undefined) {
    const major = await majorOf(configured);
    if (major === undefined)
      throw new Error(`keycloak: KEYCLOAK_JAVA_HOME=${configured} has no working bin/java: ${HINT}`);
    if (major < MINIMUM)
      throw new Error(
        `keycloak: KEYCLOAK_JAVA_HOME=${configured} is Java ${major}, Keycloak needs ${MINIMUM}+: ${HINT}`,
      );
    return configured;
  }
  const candidates = await readdir(JVM_DIR).catch(() => [] as string[]);
  let best: { home: string; major: number } | undefined;
  for (const name of candidates) {
    const home = join(JVM_DIR, name);
    const major = await majorOf(home);
    if (major !== undefined && major >= MINIMUM && (best === undefined || major > best.major))
      best = { home, major };
  }
  if (best === undefined) throw new Error(`keycloak: no Java ${MINIMUM}+ found under ${JVM_DIR}: ${HINT}`);
  return best.home;
}

async function majorOf(home: string): Promise<number | undefined> {
  try {
    const { stdout, stderr } = await runTool(join(home, "bin", "java"), ["-version"], { timeoutMs: 30_000 });
    return javaMajorVersion(`${stderr}\n${stdout}`);
  } catch {
    return undefined;
  }
}
