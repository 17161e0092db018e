import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ROLES } from "@fulfillment/identity";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixRoutes } from "./access-matrix.js";
import { call, checkedFetch, get, json, orderBody, sagaReaching } from "./api.js";
import { badTokens, type TokenCase } from "./bad-tokens.js";
import { fuzzRequest, fuzzUrl } from "./fuzz-requests.js";
import { requestFor, type KnownIds } from "./route-requests.js";
import { SERVICES, startSystem, type RunningSystem } from "./system.js";

let system: RunningSystem;
let tokenCases: TokenCase[];
let ids: KnownIds;

/** Two patients whose data must never cross, with values unique to this run so the logs can be searched for them. */
const run = randomUUID().slice(0, 8);
const patients = {
  alice: {
    id: `pat-alice-${run}`,
    line1: `${run} Privet Drive`,
    city: `Hushville${run}`,
    postalCode: `P${run}`,
  },
  bob: { id: `pat-bob-${run}`, line1: `${run} Quiet Lane`, city: `Mumtown${run}`, postalCode: `Q${run}` },
};
const orders: Record<keyof typeof patients, string> = { alice: "", bob: "" };

async function placeAsPatient(who: keyof typeof patients): Promise<string> {
  const p = patients[who];
  const response = await call(system, `${system.url.order}/api/orders`, {
    method: "POST",
    role: "patient",
    subject: p.id,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      orderBody({
        patientId: p.id,
        shippingAddress: {
          line1: p.line1,
          city: p.city,
          postalCode: p.postalCode,
          country: "US",
          region: "IL",
        },
      }),
    ),
  });
  expect(response.status).toBe(202);
  return (await json<{ orderId: string }>(response)).orderId;
}

const asPatient = (who: keyof typeof patients, url: string) =>
  call(system, url, { role: "patient", subject: patients[who].id });

beforeAll(async () => {
  system = await startSystem();
  tokenCases = await badTokens(system.issuerUrl, system.signingKey);
  orders.alice = await placeAsPatient("alice");
  orders.bob = await placeAsPatient("bob");
  await sagaReaching(system, orders.alice, ["COMPLETED"]);
  await sagaReaching(system, orders.bob, ["COMPLETED"]);
  const rx = await get<{ items: Array<{ prescriptionId: string }> }>(
    system,
    `${system.url.prescription}/api/prescriptions?orderId=${orders.alice}`,
    "pharmacist",
  );
  ids = { orderId: orders.alice, prescriptionId: rx.items[0]!.prescriptionId };
});
afterAll(async () => {
  await system?.stop();
});

describe("authentication on every protected endpoint", () => {
  it.each(matrixRoutes.map((r) => [`${r.service} ${r.key}`, r] as const))(
    "%s answers 401 problem details to every bad token",
    async (_label, route) => {
      for (const { name, header } of tokenCases) {
        const { url, init } = requestFor(system, route, ids, { role: "operator", subject: "x" });
        const response = await checkedFetch(system, url, {
          ...init,
          headers: {
            ...(init.headers as Record<string, string>),
            ...(header ? { authorization: header } : {}),
          },
        });
        expect(response.status, `${name} on ${route.key}`).toBe(401);
        expect(response.headers.get("content-type"), name).toMatch(/application\/problem\+json/);
        expect(response.headers.get("www-authenticate"), name).toMatch(/^Bearer/);
      }
    },
  );
});

describe("the role matrix (docs/SECURITY.md)", () => {
  it.each(matrixRoutes.map((r) => [`${r.service} ${r.key}`, r] as const))(
    "%s: every role allowed or refused as the matrix says",
    async (_label, route) => {
      for (const role of ROLES) {
        const subject = role === "patient" ? patients.alice.id : `matrix-${role}`;
        const { url, init } = requestFor(system, route, ids, { role, subject });
        const response = await call(system, url, { ...init, role, subject });
        if (route.rules[role]) {
          expect([401, 403], `${role} is allowed on ${route.key}`).not.toContain(response.status);
          expect(response.status, `${role} on ${route.key}`).toBeLessThan(500);
        } else {
          expect(response.status, `${role} is refused on ${route.key}`).toBe(403);
        }
      }
      const roleless = await checkedFetch(
        system,
        requestFor(system, route, ids, { role: "operator", subject: "x" }).url,
        {
          headers: { authorization: `Bearer ${await system.token("operator", "nobody", { roles: [] })}` },
          method: route.method,
        },
      );
      expect(roleless.status, "a token with no role").toBe(403);
    },
  );
});

describe("a patient sees only their own data", () => {
  it("answers 404 for another patient's order, saga, prescription and shipment, as for a missing one", async () => {
    const bobRx = await get<{ items: Array<{ prescriptionId: string }> }>(
      system,
      `${system.url.prescription}/api/prescriptions?orderId=${orders.bob}`,
      "pharmacist",
    );
    const theirs = [
      `${system.url.order}/api/orders/${orders.bob}`,
      `${system.url["saga-tracker"]}/api/sagas/${orders.bob}`,
      `${system.url.prescription}/api/prescriptions/${bobRx.items[0]!.prescriptionId}`,
      `${system.url.shipment}/api/shipments/${orders.bob}`,
    ];
    for (const url of theirs) {
      expect((await asPatient("alice", url)).status, url).toBe(404);
      expect((await asPatient("bob", url)).status, url).toBe(200);
    }
  });

  it("lists only the caller's own, whatever the query asks for", async () => {
    const lists = [
      `${system.url.order}/api/orders`,
      `${system.url.order}/api/orders?patientId=${patients.bob.id}`,
      `${system.url["saga-tracker"]}/api/sagas`,
      `${system.url.shipment}/api/shipments`,
      `${system.url.prescription}/api/prescriptions`,
      `${system.url.prescription}/api/prescriptions?orderId=${orders.bob}`,
    ];
    for (const url of lists) {
      const response = await asPatient("alice", url);
      expect(response.status, url).toBe(200);
      const { items } = await json<{ items: Array<{ orderId: string }> }>(response);
      const found = items.map((item) => item.orderId);
      expect(found, url).not.toContain(orders.bob);
      if (!url.includes(orders.bob) && !url.includes(patients.bob.id))
        expect(found, url).toContain(orders.alice);
    }
    const own = await json<{ items: Array<{ patientId: string }> }>(
      await asPatient("alice", `${system.url.order}/api/orders`),
    );
    expect(new Set(own.items.map((i) => i.patientId))).toEqual(new Set([patients.alice.id]));
  });

  it("refuses a patient placing an order for someone else", async () => {
    const response = await call(system, `${system.url.order}/api/orders`, {
      method: "POST",
      role: "patient",
      subject: patients.alice.id,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(orderBody({ patientId: patients.bob.id })),
    });
    expect(response.status).toBe(403);
  });
});

describe("the audit trail", () => {
  it("holds a pharmacist's read of a prescription and a logistics user's refused attempt", async () => {
    const url = `${system.url.prescription}/api/prescriptions/${ids.prescriptionId}`;
    const reader = `pharm-${run}`;
    const intruder = `logi-${run}`;
    expect((await call(system, url, { role: "pharmacist", subject: reader })).status).toBe(200);
    expect((await call(system, url, { role: "logistics", subject: intruder })).status).toBe(403);
    const trail = async (actor: string) => {
      let items: Array<{ outcome: string; patientIds: string[]; route: string | null; path: string }> = [];
      await expect
        .poll(async () => {
          ({ items } = await get<{ items: typeof items }>(
            system,
            `${system.url.prescription}/api/audit?actor=${actor}`,
          ));
          return items.length;
        })
        .toBe(1);
      return items[0]!;
    };
    expect(await trail(reader)).toMatchObject({ outcome: "ALLOWED", patientIds: [patients.alice.id] });
    expect(await trail(intruder)).toMatchObject({
      outcome: "DENIED",
      path: `/api/prescriptions/${ids.prescriptionId}`,
    });
  });
});

describe("the operator dashboard", () => {
  const dashboard = () => system.url["saga-tracker"];
  const ticket = (role: "operator" | "pharmacist" = "operator") =>
    system.token(role, `dash-${role}-${run}`, { extra: { purpose: "dashboard-sign-in" }, ttlSeconds: 900 });
  const cookieFrom = (response: Response) =>
    /fulfillment_session=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];

  it("asks for a sign-in without a session, and shows no saga data", async () => {
    const response = await fetch(`${dashboard()}/`, { redirect: "manual" });
    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toMatch(/sign in/i);
    expect(page).not.toContain(orders.alice);
  });

  it("opens an operator session with a one-time link, once, and signs out", async () => {
    const link = `${dashboard()}/auth/sign-in?ticket=${await ticket()}`;
    const signIn = await fetch(link, { redirect: "manual" });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("set-cookie")).toMatch(/fulfillment_session=[^;]+;.*HttpOnly/i);
    expect(signIn.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);
    const cookie = `fulfillment_session=${cookieFrom(signIn)}`;
    const page = await fetch(`${dashboard()}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(orders.alice);
    expect(
      (await checkedFetch(system, `${dashboard()}/api/sagas/${orders.alice}`, { headers: { cookie } }))
        .status,
    ).toBe(200);
    expect((await fetch(link, { redirect: "manual" })).status, "a used link").toBe(401);
    const crossSite = await fetch(`${dashboard()}/auth/sign-out`, {
      method: "POST",
      headers: { cookie, origin: "https://evil.example" },
      redirect: "manual",
    });
    expect(crossSite.status).toBe(403);
    const signOut = await fetch(`${dashboard()}/auth/sign-out`, {
      method: "POST",
      headers: { cookie },
      redirect: "manual",
    });
    expect(signOut.status).toBe(303);
    expect((await fetch(`${dashboard()}/`, { headers: { cookie } })).status).toBe(401);
  });

  it("refuses an ordinary access token as a sign-in link, and a session for another role the dashboard", async () => {
    const plain = await fetch(`${dashboard()}/auth/sign-in?ticket=${await system.token("operator")}`, {
      redirect: "manual",
    });
    expect(plain.status).toBe(401);
    const signIn = await fetch(`${dashboard()}/auth/sign-in?ticket=${await ticket("pharmacist")}`, {
      redirect: "manual",
    });
    const cookie = `fulfillment_session=${cookieFrom(signIn)}`;
    const page = await fetch(`${dashboard()}/`, { headers: { cookie } });
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain(orders.alice);
  });
});

describe("generated requests (fast-check)", () => {
  const RUNS = 1_000;
  it.each(matrixRoutes.map((r) => [`${r.service} ${r.key}`, r] as const))(
    `%s: ${RUNS} generated requests, no 5xx`,
    async (_label, route) => {
      const known = [ids.orderId, ids.prescriptionId, "IBU-200", "US", orders.bob];
      await fc.assert(
        fc.asyncProperty(fuzzRequest(route, known), async (request) => {
          const headers: Record<string, string> = { ...request.headers };
          if (request.role)
            headers.authorization = `Bearer ${await system.token(request.role, `fuzz-${request.role}`)}`;
          const response = await checkedFetch(system, fuzzUrl(system.url[route.service], route, request), {
            method: route.method,
            headers,
            ...(request.body === null ? {} : { body: request.body }),
          });
          await response.arrayBuffer();
          expect(response.status).toBeLessThan(500);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it("leaves every service ready", async () => {
    for (const service of SERVICES)
      expect((await checkedFetch(system, `${system.url[service]}/readyz`)).status, service).toBe(200);
  });
});

describe("logs", () => {
  it("hold none of the patient data this run sent", async () => {
    const secrets = Object.values(patients).flatMap((p) => [p.id, p.line1, p.city, p.postalCode]);
    const logs = await Promise.all(
      system.logFiles().map(async (file) => [file, await readFile(file, "utf8")] as const),
    );
    expect(logs.length).toBe(SERVICES.length);
    for (const [file, text] of logs) {
      expect(text.length, file).toBeGreaterThan(0);
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });
});
