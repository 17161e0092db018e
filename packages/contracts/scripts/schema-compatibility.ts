/** BACKWARD_TRANSITIVE check of a record's history: every version must read data written by every older one. */
import avro from "avsc";
import type { RecordSchema, SchemaVersion } from "./schema-files.js";

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
        const fields = brokenFields(newer.schema, older.schema);
        const reason = fields.length > 0 ? fields.join("; ") : (error as Error).message;
        problems.push({ reader: newer.file, writer: older.file, reason });
      }
    }
  });
  return problems;
}

/** Each top-level field of `reader` that cannot read `writer`'s data, with why, e.g. `field id: cannot read "string" as "int"`. */
function brokenFields(reader: RecordSchema, writer: RecordSchema): string[] {
  const namespace = { namespace: reader.namespace };
  return reader.fields.flatMap((field) => {
    const written = writer.fields.find((candidate) => candidate.name === field.name);
    if (!written)
      return field.default === undefined ? [`field ${field.name}: new and without a default`] : [];
    try {
      avro.Type.forSchema(field.type as avro.Schema, namespace).createResolver(
        avro.Type.forSchema(written.type as avro.Schema, { namespace: writer.namespace }),
      );
      return [];
    } catch (error) {
      return [`field ${field.name}: ${(error as Error).message}`];
    }
  });
}
