import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { backwardTransitiveProblems } from "./schema-compatibility.js";
import { loadSchemaCatalog, type RecordSchema, type SchemaVersion } from "./schema-files.js";

const catalog = loadSchemaCatalog(join(dirname(fileURLToPath(import.meta.url)), "..", "schemas"));

// Only a record with two versions or more has a history to check: one test each, none for a lone v1
// (the checker itself is proven on fixture histories below).
const withHistory = catalog.filter((entry) => entry.versions.length > 1);

describe("schema history", () => {
  it.each(withHistory.map((entry) => [`${entry.topic}/${entry.name}`, entry] as const))(
    "%s: every version reads every older version (BACKWARD_TRANSITIVE)",
    (_label, entry) => {
      expect(backwardTransitiveProblems(entry.versions)).toEqual([]);
    },
  );

  it("every record carries eventId, occurredAt and orderId", () => {
    for (const entry of catalog) {
      const names = entry.current.schema.fields.map((f) => f.name);
      expect(names.slice(0, 3), entry.name).toEqual(["eventId", "occurredAt", "orderId"]);
    }
  });

  describe("the checker itself", () => {
    const v1: RecordSchema = {
      type: "record",
      name: "Probe",
      namespace: "test",
      fields: [{ name: "id", type: "string" }],
    };
    const version = (n: number, schema: RecordSchema): SchemaVersion => ({
      version: n,
      file: `Probe.v${n}`,
      schema,
    });

    it("accepts a new optional field with a default", () => {
      const v2 = { ...v1, fields: [...v1.fields, { name: "note", type: ["null", "string"], default: null }] };
      expect(backwardTransitiveProblems([version(1, v1), version(2, v2)])).toEqual([]);
    });

    it("rejects a new required field, naming it", () => {
      const v2 = { ...v1, fields: [...v1.fields, { name: "note", type: "string" }] };
      const problems = backwardTransitiveProblems([version(1, v1), version(2, v2)]);
      expect(problems.map((p) => `${p.reader}<-${p.writer}`)).toEqual(["Probe.v2<-Probe.v1"]);
      expect(problems[0]!.reason).toMatch(/\bnote\b/);
    });

    it("rejects a field whose type changed incompatibly, naming it", () => {
      const v2 = { ...v1, fields: [{ name: "id", type: "int" }] };
      const problems = backwardTransitiveProblems([version(1, v1), version(2, v2)]);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.reason).toMatch(/\bid\b/);
    });

    it("rejects a change that breaks only an older version (transitive)", () => {
      const v2 = { ...v1, fields: [...v1.fields, { name: "note", type: "string", default: "" }] };
      const v3 = { ...v1, fields: [...v1.fields, { name: "note", type: "int", default: 0 }] };
      const problems = backwardTransitiveProblems([version(1, v1), version(2, v2), version(3, v3)]);
      expect(problems.map((p) => `${p.reader}<-${p.writer}`)).toEqual(["Probe.v3<-Probe.v2"]);
    });
  });
});
