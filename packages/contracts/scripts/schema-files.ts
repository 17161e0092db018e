/** Reads schemas/<topic>/<Record>.v<N>.avsc into a catalog: one entry per record, its versions in order. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type AvroSchema =
  | string
  | AvroSchema[]
  | { type: "record" | "error"; name: string; namespace?: string; doc?: string; fields: AvroField[] }
  | { type: "enum"; name: string; symbols: string[] }
  | { type: "array"; items: AvroSchema }
  | { type: "map"; values: AvroSchema }
  | { type: "fixed"; name: string; size: number }
  | { type: string; logicalType?: string };

export interface AvroField {
  name: string;
  type: AvroSchema;
  doc?: string;
  default?: unknown;
}

export type RecordSchema = Extract<AvroSchema, { type: "record" | "error" }>;

export interface SchemaVersion {
  version: number;
  file: string;
  schema: RecordSchema;
}

export interface CatalogEntry {
  topic: string;
  name: string;
  fullName: string;
  versions: SchemaVersion[];
  current: SchemaVersion;
}

const FILE_NAME = /^([A-Z][A-Za-z0-9]*)\.v(\d+)\.avsc$/;

export function loadSchemaCatalog(schemasDir: string): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const topic of readdirSync(schemasDir).sort()) {
    const byName = new Map<string, SchemaVersion[]>();
    for (const file of readdirSync(join(schemasDir, topic)).sort()) {
      const match = FILE_NAME.exec(file);
      if (!match?.[1] || !match[2]) {
        throw new Error(`schemas/${topic}/${file}: name it <Record>.v<N>.avsc, e.g. OrderCreated.v1.avsc`);
      }
      const schema = JSON.parse(readFileSync(join(schemasDir, topic, file), "utf8")) as RecordSchema;
      if (schema.name !== match[1]) {
        throw new Error(
          `schemas/${topic}/${file}: the file is named ${match[1]} but the record is ${schema.name}`,
        );
      }
      const versions = byName.get(match[1]) ?? [];
      versions.push({ version: Number(match[2]), file: join(topic, file), schema });
      byName.set(match[1], versions);
    }
    for (const [name, versions] of byName) {
      versions.sort((a, b) => a.version - b.version);
      versions.forEach((v, i) => {
        if (v.version !== i + 1)
          throw new Error(`schemas/${topic}/${name}: versions must be 1..N without gaps`);
      });
      const current = versions[versions.length - 1]!;
      const namespace = current.schema.namespace;
      if (!namespace) throw new Error(`schemas/${current.file}: give the record a namespace`);
      entries.push({ topic, name, fullName: `${namespace}.${name}`, versions, current });
    }
  }
  return entries;
}
