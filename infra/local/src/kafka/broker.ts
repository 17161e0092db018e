import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import type { LocalInfraOptions } from "../config.js";
import type { LocalLayout } from "../paths.js";
import { requireJava17 } from "../prerequisites.js";
import { runTool } from "../process/tool-run.js";
import type { ManagedServer } from "../server-lifecycle.js";
import { fetchKafkaLibs, KAFKA_LOG4J_CONFIG } from "./artifacts.js";
import {
  createKafkaSecrets,
  readKafkaSecrets,
  saslOf,
  scramFormatArguments,
  type KafkaUserCredentials,
} from "./credentials.js";
import { serverProperties } from "./server-properties.js";
import { pathExists } from "../path-exists.js";

/** The single-node KRaft broker, run from its Maven Central jars. */
export function kafkaServer(options: LocalInfraOptions, layout: LocalLayout): ManagedServer {
  const paths = layout.kafka;
  const propertiesFile = join(paths.config, "server.properties");
  const secretsFile = kafkaSecretsFile(layout);
  const endpoint = `${options.host}:${options.kafkaPort}`;
  const javaArgs = (mainClass: string, ...args: string[]) => [
    "-Xms256m",
    "-Xmx1g",
    "-XX:+UseG1GC",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${KAFKA_LOG4J_CONFIG}`,
    `-Dkafka.logs.dir=${paths.logs}`,
    "-cp",
    join(paths.libs, "*"),
    mainClass,
    ...args,
  ];
  return {
    name: "kafka",
    host: options.host,
    endpoint,
    ports: [
      { port: options.kafkaPort, variable: "KAFKA_PORT" },
      { port: options.kafkaControllerPort, variable: "KAFKA_CONTROLLER_PORT" },
    ],
    processMarker: propertiesFile,
    stopSignal: "SIGTERM",
    stopGraceMs: 30_000,
    isHealthy: async () => {
      const secrets = await readKafkaSecrets(secretsFile);
      return (
        secrets !== undefined &&
        kafkaAnswers([endpoint], secrets.users.admin, await formattedClusterId(paths.data))
      );
    },
    async prepare() {
      await requireJava17();
      if (await fetchKafkaLibs(paths.libs, options.kafkaVersion, options.log)) {
        options.log(`kafka: fetched Kafka ${options.kafkaVersion} into ${paths.libs}`);
      }
      // The properties and credentials hold passwords: owner only, also for a folder made before.
      await mkdir(paths.config, { recursive: true, mode: 0o700 });
      await chmod(paths.config, 0o700);
      await mkdir(paths.logs, { recursive: true });
      let secrets = await readKafkaSecrets(secretsFile);
      if (!secrets && (await pathExists(join(paths.data, "meta.properties")))) {
        // Storage formatted before SASL (or its credentials lost): its users cannot be recovered.
        options.log(`kafka: ${paths.data} has no SASL users; formatting it afresh (its topics are gone)`);
        await rm(paths.data, { recursive: true, force: true });
      }
      secrets ??= await createKafkaSecrets(secretsFile);
      await writeFile(propertiesFile, serverProperties(options, paths.data, secrets), { mode: 0o600 });
      await chmod(propertiesFile, 0o600);
      if (!(await pathExists(join(paths.data, "meta.properties")))) {
        // A KRaft cluster id is 16 random bytes in URL-safe base64 without padding.
        const clusterId = randomBytes(16).toString("base64url");
        await runTool(
          "java",
          javaArgs(
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "-t",
            clusterId,
            "-c",
            propertiesFile,
            ...scramFormatArguments(secrets),
          ),
        );
        options.log(
          `kafka: formatted ${paths.data} (cluster ${clusterId}) with SASL users; their passwords are in ${secretsFile}`,
        );
      }
      return {
        command: "java",
        args: javaArgs("kafka.Kafka", propertiesFile),
        cwd: paths.config,
        logFile: join(paths.logs, "stdout.log"),
      };
    },
  };
}

/** Where the local broker's SASL users and passwords are kept (readable by their owner only). */
export function kafkaSecretsFile(layout: LocalLayout): string {
  return join(layout.kafka.config, "credentials.json");
}

/**
 * True when the brokers accept `credentials` and answer a metadata request (describeCluster) and,
 * if `clusterId` is given, belong to that cluster — so another Kafka on the port is never taken for ours.
 */
export async function kafkaAnswers(
  brokers: readonly string[],
  credentials: KafkaUserCredentials | undefined,
  clusterId?: string | null,
): Promise<boolean> {
  const admin = new Kafka({
    clientId: "infra-probe",
    brokers: [...brokers],
    ...(credentials ? { sasl: saslOf(credentials) } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && (clusterId === undefined || cluster.clusterId === clusterId);
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The cluster id our storage was formatted with, or null before the first format. */
async function formattedClusterId(dataDir: string): Promise<string | null> {
  const meta = await readFile(join(dataDir, "meta.properties"), "utf8").catch(() => "");
  return /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim() ?? null;
}
