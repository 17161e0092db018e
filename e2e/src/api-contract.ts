/**
 * The contract test: every response the e2e suite receives from a service's API is checked
 * against that service's own /openapi.json (fetched once per system). Its status must be
 * documented for the operation, its media type among the documented ones and its JSON body valid
 * against the documented schema (JSON Schema 2020-12, formats included); otherwise the test that
 * received it fails, naming the operation, the status and the first schema error.
 */
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenApiDocument } from "@fulfillment/runtime";

interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

interface Described {
  service: string;
  key: string;
  operations: Operation[];
}

/** A response that the service's API description does not allow. */
export class ContractViolation extends Error {
  override readonly name = "ContractViolation";
}

const pointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

function firstError(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return "no error reported";
  const where = error.instancePath || "(body)";
  const params = Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : "";
  return `${where} ${error.message ?? error.keyword}${params}`;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  const operations = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
    Object.entries(item ?? {}).flatMap(([method, operation]) => {
      const op = operation as { operationId?: string; responses?: Operation["responses"] };
      if (!op.operationId) return [];
      // As express matches: a parameter is one segment, case does not matter, a trailing slash may follow.
      const source = template
        .split("/")
        .map((part) => (/^\{\w+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
        .join("/");
      return [
        {
          operationId: op.operationId,
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}/?$`, "i"),
          responses: op.responses ?? {},
        },
      ];
    }),
  );
  // Literal paths before templated ones: /api/sagas/stats is not the saga "stats".
  const params = (op: Operation) => (op.template.match(/\{/g) ?? []).length;
  return operations.sort((a, b) => params(a) - params(b));
}

/** The API descriptions of one running system, and the check of each response against them. */
export class ApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false });
  private readonly byOrigin = new Map<string, Described>();

  private constructor() {
    addFormats.default(this.ajv);
  }

  /** Fetches each service's /openapi.json once. */
  static async load(urls: Readonly<Record<string, string>>): Promise<ApiContract> {
    const described: Array<{ service: string; url: string; document: OpenApiDocument }> = [];
    for (const [service, url] of Object.entries(urls)) {
      const response = await fetch(`${url}/openapi.json`);
      if (response.status !== 200)
        throw new Error(
          `${service} answered ${response.status} for /openapi.json; every service serves its API description there`,
        );
      described.push({ service, url, document: (await response.json()) as OpenApiDocument });
    }
    return ApiContract.of(described);
  }

  /** The contract of services served at these URLs with these descriptions. */
  static of(
    described: ReadonlyArray<{ service: string; url: string; document: OpenApiDocument }>,
  ): ApiContract {
    const contract = new ApiContract();
    for (const { service, url, document } of described) contract.describe(service, url, document);
    return contract;
  }

  /** Checks the responses of another instance of a service against that service's description. */
  alsoAt(service: string, url: string): void {
    const described = [...this.byOrigin.values()].find((d) => d.service === service);
    if (!described) throw new Error(`no API description of ${service} was loaded`);
    this.byOrigin.set(new URL(url).origin, described);
  }

  private describe(service: string, url: string, document: OpenApiDocument): void {
    const key = `urn:fulfillment:openapi:${service}`;
    this.ajv.addSchema(document, key);
    this.byOrigin.set(new URL(url).origin, { service, key, operations: operationsOf(document) });
  }

  /**
   * Throws a ContractViolation when the response to `method url` is not what the service's
   * description documents. Pages for people outside /api (the dashboard) are not described.
   */
  async check(method: string, url: string, response: Response): Promise<void> {
    const { origin, pathname } = new URL(url);
    const described = this.byOrigin.get(origin);
    if (!described) return;
    const onPath = described.operations.filter((op) => op.pattern.test(pathname));
    if (onPath.length === 0 && !pathname.startsWith("/api/")) return;
    const verb = method.toUpperCase();
    const operation = onPath.find((op) => op.method === verb);
    const status = response.status;
    if (!operation) {
      // A path no operation has: under /api it is authenticated and limited before it is routed, so it
      // answers problem details (401 without a token, 404 with one, 429…); a success is a route
      // missing from the description.
      if (status < 400)
        throw new ContractViolation(
          `${described.service}: ${verb} ${pathname} answered ${status}, but its API description has no such operation; document the route in the service's api-docs.ts`,
        );
      return this.validate(
        described,
        `${described.service} ${verb} ${pathname} (no operation)`,
        status,
        response,
        { "application/problem+json": {} },
        `${described.key}#/components/schemas/Problem`,
      );
    }
    const name = `${described.service} ${operation.operationId} (${verb} ${operation.template})`;
    const documented = operation.responses[String(status)];
    if (!documented)
      throw new ContractViolation(
        `${name} answered ${status}, which its description does not document (it documents ${Object.keys(operation.responses).join(", ")})`,
      );
    const pointerTo = (mediaType: string) =>
      `${described.key}#/paths/${pointer(operation.template)}/${operation.method.toLowerCase()}/responses/${status}/content/${pointer(mediaType)}/schema`;
    return this.validate(described, name, status, response, documented.content ?? {}, pointerTo);
  }

  private async validate(
    described: Described,
    name: string,
    status: number,
    response: Response,
    content: Record<string, unknown>,
    schemaRef: string | ((mediaType: string) => string),
  ): Promise<void> {
    const body = await response.clone().text();
    if (Object.keys(content).length === 0) {
      if (body.length > 0)
        throw new ContractViolation(
          `${name} answered ${status} with a body, where its description documents none`,
        );
      return;
    }
    const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!(mediaType in content))
      throw new ContractViolation(
        `${name} answered ${status} as ${mediaType || "untyped"}, where its description documents ${Object.keys(content).join(", ")}`,
      );
    if (!mediaType.endsWith("json")) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new ContractViolation(
        `${name} answered ${status} as ${mediaType} with a body that is not JSON: ${body.slice(0, 120)}`,
      );
    }
    const ref = typeof schemaRef === "string" ? schemaRef : schemaRef(mediaType);
    const validate = this.ajv.getSchema(ref);
    if (!validate) throw new Error(`${name}: no schema at ${ref} in ${described.service}'s description`);
    if (!validate(parsed))
      throw new ContractViolation(
        `${name} answered ${status} with a body its description does not allow: ${firstError(validate.errors)}`,
      );
  }
}
