/**
 * The HTTP metrics every service serves: each answered request counted by method, route template
 * and status code — refusals included — and the readiness signal, read from a real app on a real
 * database through its own /metrics.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFixture, type HttpFixture } from "./http.fixture.js";

let fx: HttpFixture;
beforeAll(async () => {
  fx = await createHttpFixture("runtime_http_metrics");
});
afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

/** The value of each series of `name` on /metrics, by its label text. */
async function seriesOf(base: string, name: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const found: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, "gm")))
    found[match[1]!.replace(/service="test",?/, "").replace(/,$/, "")] = Number(match[2]);
  return found;
}

describe("HTTP metrics", () => {
  it("count requests by method, route template and status code, refusals included, never by raw URL", async () => {
    const base = await fx.serve({});
    const operator = { authorization: `Bearer ${await fx.token("operator")}` };
    const patient = { authorization: `Bearer ${await fx.token("patient", "pat-1")}` };
    await fetch(`${base}/api/things/t-1`, { headers: operator });
    await fetch(`${base}/api/things/t-2`, { headers: operator });
    await fetch(`${base}/api/things/t-2`, { headers: patient });
    await fetch(`${base}/api/things/t-1`);
    await fetch(`${base}/healthz`);
    for (let i = 0; i < 3; i += 1) await fetch(`${base}/probe/${randomUUID()}`, { method: "PROPFIND" });

    const requests = await seriesOf(base, "http_requests_total");
    expect(requests).toEqual({
      'method="GET",route="/api/things/:id",status_code="200"': 2,
      'method="GET",route="/api/things/:id",status_code="404"': 1,
      'method="GET",route="/api/things/:id",status_code="401"': 1,
      'method="GET",route="/healthz",status_code="200"': 1,
      'method="OTHER",route="unmatched",status_code="404"': 3,
    });
    const durations = await seriesOf(base, "http_request_duration_seconds_count");
    expect(durations['method="GET",route="/api/things/:id",status_code="200"']).toBe(2);
  });

  it("say service_ready 1 while every readiness check passes, 0 while one fails", async () => {
    let databaseUp = true;
    const base = await fx.serve(
      {},
      {
        database: () => (databaseUp ? Promise.resolve() : Promise.reject(new Error("connection refused"))),
      },
    );
    const ready = async () =>
      Number(/^service_ready\{[^}]*\} (\S+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1]);
    expect(await ready()).toBe(1);
    databaseUp = false;
    expect(await ready()).toBe(0);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });
});
