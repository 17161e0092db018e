import type { Admin } from "kafkajs";
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
