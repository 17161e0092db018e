import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createMetricsRegistry, createServiceApp, listen } from "./http.js";
import { HttpProblem, parseRequest } from "./problems.js";

const servers: Array<{ close: () => void }> = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(readiness: Record<string, () => Promise<void>>) {
  const app = createServiceApp({
    logger: pino({ level: "silent" }),
    metrics: createMetricsRegistry("test"),
    readiness,
    routes: (a) => {
      a.post("/things", (req, res) => {
        const body = parseRequest(z.object({ name: z.string().min(1) }).strict(), req.body);
        res.status(201).json(body);
      });
      a.get("/teapot", () => {
        throw new HttpProblem(418, "TEAPOT", "I am a teapot; ask for coffee elsewhere.");
      });
    },
  });
  const server = await listen(app, 0);
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the service HTTP app", () => {
  it("is alive on /healthz and ready on /readyz when every check passes", async () => {
    const base = await serve({ database: () => Promise.resolve() });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: { ok: true } } });
  });

  it("is not ready when a dependency fails, and says which and why", async () => {
    const base = await serve({
      database: () => Promise.resolve(),
      broker: () => Promise.reject(new Error("connection refused")),
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: "not ready",
      checks: { broker: { ok: false, error: "connection refused" } },
    });
  });

  it("answers bad input with problem details naming the field", async () => {
    const base = await serve({});
    const post = (body: string) =>
      fetch(`${base}/things`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const notJson = await post("{ nope");
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const invalid = await post(JSON.stringify({ name: "", extra: 1 }));
    expect(invalid.status).toBe(400);
    const problem = (await invalid.json()) as { title: string; errors: Array<{ field: string }> };
    expect(problem.title).toBe("VALIDATION_FAILED");
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["(body)", "name"]);
    const teapot = await fetch(`${base}/teapot`);
    expect(teapot.status).toBe(418);
    expect(await teapot.json()).toMatchObject({
      title: "TEAPOT",
      detail: "I am a teapot; ask for coffee elsewhere.",
    });
  });

  it("serves Prometheus metrics", async () => {
    const base = await serve({});
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/process_cpu_seconds_total\{service="test"\}/);
  });
});
