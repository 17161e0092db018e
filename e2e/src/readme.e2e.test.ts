/**
 * The README's examples, run as written against a running system: its order-and-saga commands,
 * and every route of its API table, with its placeholders filled in from a real order.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixRoutes } from "./access-matrix.js";
import { call, json, sagaReaching, type SagaView } from "./api.js";
import { documentedRoutes, exampleBlock, matrixKey, type DocumentedRoute } from "./readme.js";
import { startSystem, type RunningSystem } from "./system.js";

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

/** Runs README commands in bash against this system: its ports, and tokens of its issuer. */
async function runExample(commands: string): Promise<string> {
  let script = commands
    .replaceAll("localhost:3001", new URL(system.url.order).host)
    .replaceAll("localhost:3005", new URL(system.url["saga-tracker"]).host);
  for (const [command, role, subject] of script.matchAll(
    /pnpm --silent token --role ([\w-]+) --sub ([\w-]+)/g,
  ))
    script = script.replace(command, `echo ${await system.token(role as never, subject)}`);
  const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script]);
  return stdout;
}

describe("the README's examples", () => {
  let placed: { orderId: string; patientId: string; prescriptionId: string | null };

  it("places an order and shows its saga, as the Tokens section does", async () => {
    const [place = "", follow = ""] = exampleBlock("### Tokens").split(/\n(?=curl -s localhost:3005)/);
    const answer = JSON.parse(await runExample(place)) as { orderId: string };
    expect(answer.orderId).toEqual(expect.any(String));
    await sagaReaching(system, answer.orderId, ["COMPLETED"]);
    const shown = JSON.parse(await runExample(follow.replace("<orderId>", answer.orderId))) as SagaView;
    expect(shown).toMatchObject({ orderId: answer.orderId, status: "COMPLETED" });
    const prescriptions = await json<{ items: Array<{ prescriptionId: string; patientId: string }> }>(
      await call(system, `${system.url.prescription}/api/prescriptions?orderId=${answer.orderId}`),
    );
    placed = {
      orderId: answer.orderId,
      patientId: prescriptions.items[0]?.patientId ?? "",
      prescriptionId: prescriptions.items[0]?.prescriptionId ?? null,
    };
    expect(placed.prescriptionId).not.toBeNull();
  });

  /** The README's placeholders, filled in: ids from the order above, and a value each list takes. */
  function concrete(route: DocumentedRoute): string {
    const values: Record<string, string> = {
      orderId: placed.orderId,
      patientId: placed.patientId,
      prescriptionId: placed.prescriptionId ?? "",
      sku: "AMOX-500",
      // A destination of the test's own: PUT adds it, DELETE takes it away again.
      code: route.method === "GET" ? "US" : "ZZ",
      limit: "5",
      since: new Date(Date.now() - 3_600_000).toISOString(),
      status:
        { prescription: "ISSUED", shipment: "INITIATED", "saga-tracker": "COMPLETED" }[
          route.service as string
        ] ?? "",
    };
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(values[name] ?? name),
    );
    const query = route.query.replace(
      /(\w+)=…/g,
      (_, name: string) => `${name}=${encodeURIComponent(values[name] ?? "")}`,
    );
    return `${system.url[route.service]}${path}${query ? `?${query}` : ""}`;
  }

  /** A role the service lets do this on everything. */
  function roleFor(route: DocumentedRoute) {
    const rules =
      matrixRoutes.find((r) => r.service === route.service && r.key === matrixKey(route))?.rules ?? {};
    const role = Object.entries(rules).find(([, scope]) => scope === "all")?.[0];
    if (!role) throw new Error(`no role may ${matrixKey(route)} on everything; the README example needs one`);
    return role as never;
  }

  it("answers every GET of the API table with 200", async () => {
    const gets = documentedRoutes().filter((r) => r.method === "GET");
    expect(gets.length).toBeGreaterThan(10);
    for (const route of gets) {
      const url = concrete(route);
      const response = await call(system, url, { role: roleFor(route) });
      expect(response.status, `${route.method} ${url}: ${await response.clone().text()}`).toBe(200);
    }
  });

  it("serves every other route of the API table: it answers the request, never with ROUTE_NOT_FOUND", async () => {
    const writes = documentedRoutes().filter((r) => r.method !== "GET");
    expect(writes.length).toBeGreaterThan(3);
    for (const route of writes) {
      const url = concrete(route);
      const response = await call(system, url, {
        method: route.method,
        role: roleFor(route),
        headers: { "content-type": "application/json" },
        body: route.method === "DELETE" ? undefined : "{}",
      });
      const body = await response.text();
      expect(body, `${route.method} ${url}`).not.toContain("ROUTE_NOT_FOUND");
      // An empty body is refused by name where the route needs one; a destination is simply added.
      expect([204, 400], `${route.method} ${url}: ${body}`).toContain(response.status);
    }
  });
});
