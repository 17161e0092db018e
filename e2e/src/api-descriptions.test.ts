import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { matrixRoutes } from "./access-matrix.js";
import { apiDocuments } from "./api-descriptions.js";
import { SERVICES } from "./system.js";

const documents = apiDocuments();

describe.each(SERVICES)("the OpenAPI document of %s", (service) => {
  const document = documents[service];

  it("is valid OpenAPI 3.1", async () => {
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.specification).toBe("OpenAPI");
    expect(document.openapi).toBe("3.1.0");
  });

  it("documents every route of the matrix with its roles, bearer auth and its problems", () => {
    const routes = matrixRoutes.filter((r) => r.service === service);
    expect(routes.length).toBeGreaterThan(1);
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      const operation = document.paths?.[path]?.[route.method.toLowerCase() as "get"];
      expect(operation, `${route.key} in ${service}'s document`).toBeDefined();
      expect(operation?.["x-roles"], route.key).toEqual(route.rules);
      expect(operation?.security?.[0], route.key).toEqual({ bearerAuth: [] });
      for (const role of Object.keys(route.rules))
        expect(operation?.description, route.key).toContain(`\`${role}\``);
      for (const status of ["400", "401", "403", "429", "500", "503"]) {
        const response = operation?.responses?.[status] as
          { content?: Record<string, unknown>; headers?: Record<string, unknown> } | undefined;
        expect(response?.content?.["application/problem+json"], `${route.key} ${status}`).toBeDefined();
        if (status === "429" || status === "503")
          expect(response?.headers?.["Retry-After"], `${route.key} ${status}`).toBeDefined();
      }
    }
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
  });

  it("documents the probes and /metrics, open", () => {
    for (const path of ["/healthz", "/readyz", "/metrics"])
      expect(document.paths?.[path]?.get?.security, path).toBeDefined();
    expect(document.paths?.["/healthz"]?.get?.security).toEqual([]);
  });

  it("names the dashboard's session cookie as the other way in, on the tracker only", () => {
    const operation = document.paths?.["/api/sagas/{orderId}"]?.get;
    const scheme = document.components?.securitySchemes?.sessionCookie;
    if (service === "saga-tracker") {
      expect(scheme).toMatchObject({ type: "apiKey", in: "cookie", name: "fulfillment_session" });
      expect(operation?.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    } else expect(scheme).toBeUndefined();
  });
});
