/** BACKWARD_TRANSITIVE check of a record's history: every version must read data written by every older one. */
import avro from "avsc";
import type { SchemaVersion } from "./schema-files.js";

export interface CompatibilityProblem {
  reader: string;
  writer: string;
  reason: string;
}

export function backwardTransitiveProblems(versions: readonly SchemaVersion[]): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  versions.forEach((newer, i) => {
    const reader = avro.Type.forSchema(newer.schema as avro.Schema);
    for (const older of versions.slice(0, i)) {
      try {
        reader.createResolver(avro.Type.forSchema(older.schema as avro.Schema));
      } catch (error) {
        problems.push({ reader: newer.file, writer: older.file, reason: (error as Error).message });
      }
    }
  });
  return problems;
}
