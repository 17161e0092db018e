import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFixture, type HttpFixture } from "../http.fixture.js";

let fx: HttpFixture;
beforeAll(async () => {
  fx = await createHttpFixture("runtime_authz");
});
afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

const as = async (
  role: Parameters<HttpFixture["token"]>[0],
  subject: string | undefined,
  path: string,
  init: RequestInit = {},
) =>
  fetch(`${fx.base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await fx.token(role, subject)}`, ...init.headers },
  });

interface AuditEntry {
  actor: string | null;
  route: string | null;
  patientIds: string[];
  status: number;
  outcome: string;
}

/** The audit trail as an operator reads it over REST, once it holds `count` rows for `actor`. */
async function auditOf(actor: string, count: number): Promise<AuditEntry[]> {
  let items: AuditEntry[] = [];
  await expect
    .poll(async () => {
      const response = await as("operator", "auditor", `/api/audit?actor=${actor}`);
      items = ((await response.json()) as { items: AuditEntry[] }).items;
      return items.length;
    })
    .toBeGreaterThanOrEqual(count);
  return items;
}

describe("authorization by role and ownership", () => {
  it("refuses a role the route does not list with 403, naming the roles it needs", async () => {
    const response = await as("logistics", undefined, "/api/things/t-1");
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/patient, operator/);
  });

  it("shows a patient their own resource and answers 404 for another patient's, as for a missing one", async () => {
    expect((await as("patient", "pat-1", "/api/things/t-1")).status).toBe(200);
    const other = await as("patient", "pat-1", "/api/things/t-2");
    const missing = await as("patient", "pat-1", "/api/things/t-404");
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({
      ...((await missing.json()) as object),
      instance: "/api/things/t-2",
    });
    expect((await as("operator", undefined, "/api/things/t-2")).status).toBe(200);
  });
});

describe("the audit trail", () => {
  it("records an allowed read and a refusal, with who, which patient and the outcome", async () => {
    await as("patient", "pat-audit", "/api/things/t-1");
    await as("pharmacist", "pharm-audit", "/api/things/t-1");
    const patient = await auditOf("pat-audit", 1);
    expect(patient[0]).toMatchObject({
      actor: "pat-audit",
      route: "GET /api/things/:id",
      patientIds: ["pat-1"],
      status: 404,
      outcome: "NOT_FOUND",
    });
    const pharmacist = await auditOf("pharm-audit", 1);
    expect(pharmacist[0]).toMatchObject({ actor: "pharm-audit", status: 403, outcome: "DENIED" });
    await as("operator", "op-audit", "/api/things/t-2");
    expect((await auditOf("op-audit", 1))[0]).toMatchObject({ patientIds: ["pat-2"], outcome: "ALLOWED" });
  });

  it("records unauthenticated calls too, and finds entries by patient", async () => {
    await fetch(`${fx.base}/api/things/t-2`);
    await expect
      .poll(async () => {
        const rows = await fx.knex("audit_log").where({ outcome: "UNAUTHENTICATED" }).whereNull("actor");
        return rows.length;
      })
      .toBeGreaterThan(0);
    const byPatient = await as("operator", "auditor", "/api/audit?patientId=pat-2");
    const items = ((await byPatient.json()) as { items: AuditEntry[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.patientIds.includes("pat-2"))).toBe(true);
  });

  it("is readable by operators only", async () => {
    expect((await as("pharmacist", undefined, "/api/audit")).status).toBe(403);
    expect((await as("patient", "pat-1", "/api/audit")).status).toBe(403);
  });

  it("pages with cursors and refuses a forged one", async () => {
    for (let i = 0; i < 3; i += 1) await as("patient", "pat-pager", "/api/things/t-1");
    await auditOf("pat-pager", 3);
    const first = (await (await as("operator", "auditor", "/api/audit?actor=pat-pager&limit=2")).json()) as {
      items: Array<{ id: string }>;
      nextCursor: string;
    };
    expect(first.items).toHaveLength(2);
    const second = (await (
      await as("operator", "auditor", `/api/audit?actor=pat-pager&limit=2&cursor=${first.nextCursor}`)
    ).json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).not.toBe(first.items[1]!.id);
    const forged = Buffer.from(JSON.stringify({ at: new Date().toISOString(), id: "1 OR 1=1" })).toString(
      "base64url",
    );
    expect((await as("operator", "auditor", `/api/audit?cursor=${forged}`)).status).toBe(400);
  });

  it("is append-only: the database refuses to change or delete an entry", async () => {
    await expect(fx.knex("audit_log").update({ outcome: "ALLOWED" })).rejects.toThrow(/append-only/);
    await expect(fx.knex("audit_log").delete()).rejects.toThrow(/append-only/);
    await expect(fx.knex.raw("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
  });
});
