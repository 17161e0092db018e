import { runTool } from "./process/tool-run.js";

const JAVA_HINT = "install a JDK 17+ (apt-get install openjdk-17-jre-headless)";
const MAVEN_HINT = "apt-get install maven";

/** Fails with what to install when `java` is missing or older than 17 (Kafka 4 and Apicurio 3 need 17). */
export async function requireJava17(): Promise<void> {
  let banner: string;
  try {
    const { stdout, stderr } = await runTool("java", ["-version"], { timeoutMs: 30_000 });
    banner = `${stderr}\n${stdout}`;
  } catch (error) {
    if (isNotFound(error)) throw new Error(`no java on PATH: ${JAVA_HINT}`);
    throw new Error(`java -version failed: ${JAVA_HINT}`, { cause: error });
  }
  const major = javaMajorVersion(banner);
  if (major === undefined)
    throw new Error(`could not read the Java version from "java -version": ${JAVA_HINT}`);
  if (major < 17) throw new Error(`java on PATH is Java ${major}, Kafka and Apicurio need 17+: ${JAVA_HINT}`);
}

/** Fails with what to install when `mvn` is missing (needed only to fetch artifacts the first time). */
export async function requireMaven(): Promise<void> {
  try {
    await runTool("mvn", ["-v", "-B"], { timeoutMs: 60_000 });
  } catch (error) {
    if (isNotFound(error))
      throw new Error(
        `no mvn on PATH (needed to fetch Kafka and Apicurio from Maven Central): ${MAVEN_HINT}`,
      );
    throw new Error(`mvn -v failed: ${MAVEN_HINT}`, { cause: error });
  }
}

/** Major version from a `java -version` banner: `"17.0.15"` → 17, `"1.8.0_392"` → 8. */
export function javaMajorVersion(banner: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(banner);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

function isNotFound(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  return cause?.code === "ENOENT";
}
