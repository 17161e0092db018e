/**
 * Tokens from a real OpenID provider: Keycloak's access tokens (password grant) are accepted by
 * the prescription service's real API, configured only with AUTH_ISSUER, and its role rules hold
 * for them; a token meant for another audience, or altered, is refused.
 */
import type { Server } from "node:http";
import { migrations, seedFormulary } from "@fulfillment/prescription/web";
import type { TestDatabase } from "@fulfillment/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePrescriptionApi } from "../in-process.js";
import { keycloak, migratedDatabase, passwordGrantToken } from "./keycloak.js";

let db: TestDatabase;
let knex: Knex;
let server: Server;
let base: string;

beforeAll(async () => {
  ({ db, knex } = await migratedDatabase("keycloak_tokens", migrations));
  await seedFormulary(knex);
  const now = new Date();
  const prescription = (orderId: string, patientId: string) => ({
    order_id: orderId,
    prescription_id: `rx-${orderId}`,
    patient_id: patientId,
    prescriber_id: "dr-1",
    status: "ISSUED",
    items: JSON.stringify([{ sku: "AMOX-500", quantity: 1 }]),
    created_at: now,
    updated_at: now,
  });
  // paula's patient_id attribute in the realm is pat-paula.
  await knex("prescriptions").insert([
    prescription("o-paula", "pat-paula"),
    prescription("o-other", "pat-other"),
  ]);
  ({ server, base } = await servePrescriptionApi(knex, keycloak().issuerUrl));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await knex?.destroy();
  await db?.drop();
});

const call = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const formularyEntry = { name: "Keycloak test tablets", prescriptionOnly: false, maxQuantity: 2 };
const orderIds = async (response: Response) =>
  ((await response.json()) as { items: Array<{ orderId: string }> }).items.map((p) => p.orderId).sort();

/** The token with its payload changed and its signature kept. */
function tampered(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}

describe("Keycloak's access tokens at the prescription API", () => {
  it("a pharmacist's token reads every prescription and may change the formulary", async () => {
    const token = await passwordGrantToken("alice");
    const list = await call("GET", "/api/prescriptions", token);
    expect(list.status).toBe(200);
    expect(await orderIds(list)).toEqual(["o-other", "o-paula"]);
    const put = await call("PUT", "/api/formulary/KC-TEST-1", token, formularyEntry);
    expect(put.status).toBe(200);
  });

  it("a patient's token sees only that patient's prescriptions (patient_id claim) and may not change the formulary", async () => {
    const token = await passwordGrantToken("paula");
    const list = await call("GET", "/api/prescriptions", token);
    expect(list.status).toBe(200);
    expect(await orderIds(list)).toEqual(["o-paula"]);
    const put = await call("PUT", "/api/formulary/KC-TEST-2", token, formularyEntry);
    expect(put.status).toBe(403);
    expect(await knex("formulary").where({ sku: "KC-TEST-2" }).first()).toBeUndefined();
  });

  it("refuses with 401 a token Keycloak issued for another audience", async () => {
    // The other-app client has the same role mappers but no fulfillment audience mapper.
    const response = await call("GET", "/api/prescriptions", await passwordGrantToken("alice", "other-app"));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/audience/);
  });

  it("refuses with 401 a token whose claims were altered after Keycloak signed them", async () => {
    const patient = await passwordGrantToken("paula");
    const raised = tampered(patient, (claims) => {
      claims.roles = ["pharmacist"];
    });
    expect((await call("PUT", "/api/formulary/KC-TEST-3", raised, formularyEntry)).status).toBe(401);
    const otherPatient = tampered(patient, (claims) => {
      claims.patient_id = "pat-other";
    });
    expect((await call("GET", "/api/prescriptions", otherPatient)).status).toBe(401);
  });
});
