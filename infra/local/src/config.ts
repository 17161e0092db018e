import { realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Kafka release fetched from Maven Central; the newest one verified with kafkajs 2.2.4 (see README). */
export const DEFAULT_KAFKA_VERSION = "4.4.0";
/**
 * Apicurio Registry release fetched from Maven Central (`io.apicurio:apicurio-registry-app:<v>:tar.gz:all`):
 * the newest that runs on Java 17 (3.3.x is compiled for Java 21; see README).
 */
export const DEFAULT_REGISTRY_VERSION = "3.0.9";
/** Keycloak release fetched from Maven Central (`org.keycloak:keycloak-quarkus-dist:<v>:tar.gz`); needs Java 21+. */
export const DEFAULT_KEYCLOAK_VERSION = "26.7.3";
/** Zipkin server fetched from Maven Central (`io.zipkin:zipkin-server:<v>:jar:exec`); runs on Java 17. */
export const DEFAULT_ZIPKIN_VERSION = "3.5.1";

/** Folder of this package (src/ and dist/ both sit one level below it). */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_DIR = resolve(PACKAGE_DIR, "..", "..");

/** Everything that decides where and how the local servers run. */
export interface LocalInfraOptions {
  /** Folder for artifacts, data, logs and infra.json (default `<repo>/.local`). */
  localDir: string;
  /** Address every server listens on and is reached at. */
  host: string;
  kafkaPort: number;
  /** KRaft controller listener of the combined broker+controller node. */
  kafkaControllerPort: number;
  kafkaVersion: string;
  registryPort: number;
  registryVersion: string;
  /** Port of the local OpenID issuer (its JWKS and discovery document). */
  issuerPort: number;
  /** Port of the optional local Keycloak (not started by `infra up`; see `infra keycloak up`). */
  keycloakPort: number;
  keycloakVersion: string;
  /** A JDK 21+ for Keycloak only (the other servers keep the `java` on PATH); found under /usr/lib/jvm when unset. */
  keycloakJavaHome: string | undefined;
  /** Port of the local Zipkin (UI, query API and span intake). */
  zipkinPort: number;
  zipkinVersion: string;
  /** Port of the embedded PostgreSQL (ignored when `databaseUrl` is set). */
  postgresPort: number;
  /** Admin URL of an existing PostgreSQL server; when set, no embedded server is started. */
  databaseUrl: string | undefined;
  /** How long one server may take to answer after being spawned. */
  startTimeoutMs: number;
  /** Receives progress lines; defaults to `[infra] …` on stdout. */
  log: (line: string) => void;
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

const environmentSchema = z.object({
  FULFILLMENT_LOCAL_DIR: z.string().min(1).optional(),
  INFRA_HOST: z.string().min(1).default("127.0.0.1"),
  KAFKA_PORT: port(9092),
  KAFKA_CONTROLLER_PORT: port(9093),
  KAFKA_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .default(DEFAULT_KAFKA_VERSION),
  REGISTRY_PORT: port(8081),
  REGISTRY_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+/)
    .default(DEFAULT_REGISTRY_VERSION),
  KEYCLOAK_PORT: port(18180),
  KEYCLOAK_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .default(DEFAULT_KEYCLOAK_VERSION),
  KEYCLOAK_JAVA_HOME: z.string().min(1).optional(),
  ZIPKIN_PORT: port(9411),
  ZIPKIN_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .default(DEFAULT_ZIPKIN_VERSION),
  POSTGRES_PORT: port(5433),
  ISSUER_PORT: port(8090),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  INFRA_START_TIMEOUT_SECONDS: z.coerce.number().positive().default(180),
});

/**
 * Reads the environment once (the only place `process.env` is read) and merges explicit overrides.
 * Throws naming the variable when one is malformed.
 */
export function loadOptions(overrides: Partial<LocalInfraOptions> = {}): LocalInfraOptions {
  const parsed = environmentSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid infra environment: ${problems.join("; ")}`);
  }
  const env = parsed.data;
  const fromEnv: LocalInfraOptions = {
    localDir: realPath(resolve(env.FULFILLMENT_LOCAL_DIR ?? resolve(REPO_DIR, ".local"))),
    host: env.INFRA_HOST,
    kafkaPort: env.KAFKA_PORT,
    kafkaControllerPort: env.KAFKA_CONTROLLER_PORT,
    kafkaVersion: env.KAFKA_VERSION,
    registryPort: env.REGISTRY_PORT,
    registryVersion: env.REGISTRY_VERSION,
    keycloakPort: env.KEYCLOAK_PORT,
    keycloakVersion: env.KEYCLOAK_VERSION,
    keycloakJavaHome: env.KEYCLOAK_JAVA_HOME,
    zipkinPort: env.ZIPKIN_PORT,
    zipkinVersion: env.ZIPKIN_VERSION,
    postgresPort: env.POSTGRES_PORT,
    issuerPort: env.ISSUER_PORT,
    databaseUrl: env.DATABASE_URL,
    startTimeoutMs: env.INFRA_START_TIMEOUT_SECONDS * 1000,
    log: (line) => console.log(`[infra] ${line}`),
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...fromEnv, ...defined };
}

/**
 * The folder with symbolic links resolved (a worktree's .local may link to another checkout's), so
 * the paths that mark our processes on their command lines are the same from every checkout.
 */
function realPath(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return folder;
  }
}

/** The environment a spawned server inherits, plus `extra` (kept here so `process.env` is read in one file). */
export function childEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** The inherited PATH with `dir` first, for a child that must find its own `java`. */
export function pathWith(dir: string): string {
  return [dir, process.env.PATH].filter(Boolean).join(":");
}
