import type { Admin } from "kafkajs";
import type { MessageCodec } from "./codec.js";
import { kafkaAcls } from "./kafka-access.js";
import { topicCatalog, type TopicSpec } from "./topics.js";

export interface EnsureTopicsOptions {
  /** Replication factor for new topics: 1 on a single local broker, 3 in production. */
  replicationFactor?: number;
  /** Called with a line per topic, for progress output. */
  onProgress?: (line: string) => void;
}

/**
 * Creates the topics that do not exist yet with their partitions, retention and cleanup policy,
 * and fails when an existing topic has another partition count (keys would land elsewhere).
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[] = topicCatalog,
  options: EnsureTopicsOptions = {},
): Promise<void> {
  const { replicationFactor = 1, onProgress = () => undefined } = options;
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: [
          { name: "retention.ms", value: String(spec.retentionMs) },
          { name: "cleanup.policy", value: spec.cleanupPolicy },
        ],
      })),
    });
    for (const spec of missing) onProgress(`created ${spec.name} (${spec.partitions} partitions)`);
  }
  const present = specs.filter((spec) => existing.has(spec.name));
  if (present.length === 0) return;
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
  for (const spec of present) {
    const found = metadata.topics.find((t) => t.name === spec.name)?.partitions.length;
    if (found !== spec.partitions) {
      throw new Error(
        `Topic ${spec.name} has ${found} partitions but the catalog says ${spec.partitions}. ` +
          `Partition counts cannot change without moving keys: create a new topic version instead.`,
      );
    }
    onProgress(`ok ${spec.name}`);
  }
}

/**
 * Gives every principal its rights on the topics and groups behind `topicPrefix` (see kafkaAcls).
 * Creating an ACL that exists is a no-op, so this runs on every deploy.
 */
export async function applyAcls(
  admin: Admin,
  topicPrefix = "",
  onProgress: (line: string) => void = () => undefined,
): Promise<void> {
  const acl = kafkaAcls(topicPrefix);
  await admin.createAcls({ acl });
  const principals = new Set(acl.map((entry) => entry.principal));
  onProgress(`${acl.length} ACL entries for ${[...principals].join(", ")}`);
}

export interface DeployOptions extends EnsureTopicsOptions {
  /** Prefix of every topic and consumer group of this environment (TOPIC_PREFIX). */
  topicPrefix?: string;
}

/**
 * The deploy step, run with the broker's admin principal before the services start: creates the
 * topics, applies the ACLs and registers every schema. Services only check that all of it is there.
 */
export async function deployContracts(
  admin: Admin,
  codec: MessageCodec,
  options: DeployOptions = {},
): Promise<void> {
  const { topicPrefix = "", ...topicOptions } = options;
  await ensureTopics(
    admin,
    topicCatalog.map((spec) => ({ ...spec, name: topicPrefix + spec.name })),
    topicOptions,
  );
  await applyAcls(admin, topicPrefix, topicOptions.onProgress);
  await codec.register();
  topicOptions.onProgress?.("every schema is registered with BACKWARD_TRANSITIVE compatibility");
}

/**
 * Fails, naming what is missing and what to run, unless every topic in `topics` exists: a
 * service checks this at start instead of creating topics it has no right to create.
 */
export async function requireTopics(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    throw new Error(
      `Topics missing: ${missing.join(", ")}. Topics, ACLs and schemas are a deploy step: run pnpm topics (with the same TOPIC_PREFIX), then start again.`,
    );
  }
}
