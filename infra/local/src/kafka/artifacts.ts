import { join } from "node:path";
import { PACKAGE_DIR } from "../config.js";
import { DEPENDENCY_PLUGIN, fetchOnce } from "../maven.js";

const POM = join(PACKAGE_DIR, "kafka", "pom.xml");

/** Puts the broker's runtime classpath into `libsDir` with `mvn`, unless it is already there. */
export function fetchKafkaLibs(
  libsDir: string,
  version: string,
  log: (line: string) => void,
): Promise<boolean> {
  const announce = () => log(`kafka: fetching Kafka ${version} with mvn (first run only, ~45 MB)…`);
  return fetchOnce(
    libsDir,
    (output) => [
      "-f",
      POM,
      `-Dkafka.version=${version}`,
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      "-DincludeScope=runtime",
      `-DoutputDirectory=${output}`,
    ],
    `kafka_2.13-${version}.jar`,
    announce,
  );
}

/** The Log4j 2 configuration that sends broker logs to files. */
export const KAFKA_LOG4J_CONFIG = join(PACKAGE_DIR, "kafka", "log4j2.properties");
