import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFixture, type HttpFixture } from "./http.fixture.js";

let fx: HttpFixture;
let pharmacist: string;
beforeAll(async () => {
  fx = await createHttpFixture("runtime_edge");
  pharmacist = `Bearer ${await fx.token("pharmacist")}`;
});
afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

const post = (body: string | Buffer, contentType?: string, base = fx.base) =>
  fetch(`${base}/api/things`, {
    method: "POST",
    headers: { authorization: pharmacist, ...(contentType ? { "content-type": contentType } : {}) },
    body,
  });

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  return (await response.json()) as {
    title: string;
    status: number;
    detail: string;
    errors?: Array<{ field: string }>;
  };
}

describe("every error is problem details with the right status", () => {
  it("an unknown route is 404, not HTML", async () => {
    const response = await fetch(`${fx.base}/nowhere`);
    expect(response.status).toBe(404);
    expect((await problem(response)).title).toBe("ROUTE_NOT_FOUND");
  });

  it("a body that is not JSON is 415 (not blamed on missing fields); broken JSON is 400; too large is 413", async () => {
    const plain = await post("name=x", "text/plain");
    expect(plain.status).toBe(415);
    expect((await problem(plain)).title).toBe("UNSUPPORTED_MEDIA_TYPE");
    const broken = await post("{ nope", "application/json");
    expect(broken.status).toBe(400);
    expect((await problem(broken)).title).toBe("MALFORMED_JSON");
    const large = await post(JSON.stringify({ name: "x".repeat(300_000) }), "application/json");
    expect(large.status).toBe(413);
    expect((await problem(large)).title).toBe("PAYLOAD_TOO_LARGE");
    const invalid = await post(JSON.stringify({ name: "", extra: 1 }), "application/json");
    expect(invalid.status).toBe(400);
    expect((await problem(invalid)).errors?.map((e) => e.field).sort()).toEqual(["(body)", "name"]);
    expect((await post(JSON.stringify({ name: "ok" }), "application/json")).status).toBe(201);
  });

  it("a NUL character anywhere in a path, query or body is 400 before it reaches the database", async () => {
    const operator = { authorization: `Bearer ${await fx.token("operator")}` };
    const inPath = await fetch(`${fx.base}/api/things/a%00b`, { headers: operator });
    expect(inPath.status).toBe(400);
    expect((await problem(inPath)).title).toBe("NUL_CHARACTER");
    expect((await fetch(`${fx.base}/api/things/t-1?q=%00`, { headers: operator })).status).toBe(400);
    expect((await post(JSON.stringify({ name: "a\u0000b" }), "application/json")).status).toBe(400);
    expect((await post(JSON.stringify({ "\u0000": 1 }), "application/json")).status).toBe(400);
  });

  it("a database that cannot be reached is 503 with Retry-After, not 500", async () => {
    const response = await fetch(`${fx.base}/api/slow-database`, {
      headers: { authorization: `Bearer ${await fx.token("operator")}` },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect((await problem(response)).title).toBe("SERVICE_UNAVAILABLE");
  });
});

describe("hardening", () => {
  it("sends security headers and no CORS headers unless origins are configured", async () => {
    const closed = await fetch(`${fx.base}/api/things/t-1`, {
      headers: { authorization: pharmacist, origin: "https://shop.example" },
    });
    expect(closed.headers.get("x-content-type-options")).toBe("nosniff");
    expect(closed.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect(closed.headers.get("access-control-allow-origin")).toBeNull();
    const base = await fx.serve({ CORS_ORIGINS: "https://shop.example" });
    const open = await fetch(`${base}/api/things/t-1`, { headers: { origin: "https://shop.example" } });
    expect(open.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const stranger = await fetch(`${base}/api/things/t-1`, { headers: { origin: "https://evil.example" } });
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("limits each caller's rate with 429 and Retry-After, other callers unaffected", async () => {
    const base = await fx.serve({ RATE_LIMIT_PER_MINUTE: "3" });
    const operator = `Bearer ${await fx.token("operator", "busy-operator")}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await fetch(`${base}/api/things/t-1`, { headers: { authorization: operator } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await fetch(`${base}/api/things/t-1`, { headers: { authorization: operator } });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await problem(limited)).title).toBe("TOO_MANY_REQUESTS");
    const other = `Bearer ${await fx.token("operator", "calm-operator")}`;
    expect((await fetch(`${base}/api/things/t-1`, { headers: { authorization: other } })).status).toBe(200);
  });

  it("limits requests per client address before authentication", async () => {
    const base = await fx.serve({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: "2" });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${base}/api/things/t-1`)).status);
    expect(statuses).toEqual([401, 401, 429]);
  });

  it("leaves /healthz and /readyz open, and /metrics open unless configured", async () => {
    expect((await fetch(`${fx.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${fx.base}/readyz`)).status).toBe(200);
    expect((await fetch(`${fx.base}/metrics`)).status).toBe(200);
    const guarded = await fx.serve({ METRICS_REQUIRE_AUTH: "true" });
    expect((await fetch(`${guarded}/metrics`)).status).toBe(401);
    const operator = `Bearer ${await fx.token("operator")}`;
    expect((await fetch(`${guarded}/metrics`, { headers: { authorization: operator } })).status).toBe(200);
  });
});
