import { createRequire } from "node:module";
import { dirname } from "node:path";
import express, { type Express } from "express";
import { docsPageSecurity } from "../security/edge.js";
import type { OpenApiDocument } from "./api-document.js";

// swagger-ui-dist's own files, served from the installed package: the page loads nothing from elsewhere.
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

// Replaces the package's initializer (which points at a public demo API): this service's document,
// and no online validator badge (it would send the document to a third party).
const initializer = `window.onload = () => {
  window.ui = SwaggerUIBundle({
    url: new URL("../openapi.json", window.location.href).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
  });
};
`;

/**
 * Serves the API description, open: `GET /openapi.json`, and a browsable UI at `/docs` (Swagger
 * UI, under a content security policy of its own that allows nothing but this origin).
 */
export function serveApiDocs(app: Express, document: OpenApiDocument): void {
  const body = JSON.stringify(document);
  app.get("/openapi.json", (_req, res) => {
    res.type("application/json").send(body);
  });
  app.use("/docs", docsPageSecurity);
  app.get("/docs/swagger-initializer.js", (_req, res) => {
    res.type("text/javascript").send(initializer);
  });
  app.use("/docs", express.static(swaggerUiDir, { index: "index.html", fallthrough: true }));
}
