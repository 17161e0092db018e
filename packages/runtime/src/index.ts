/** @fulfillment/runtime — the kit every service is built on. */
export { baseConfigSchema, serviceConfigSchema, loadConfig } from "./config.js";
export {
  settingsMarkdown,
  settingsOf,
  undocumentedSettings,
  type ServiceSettings,
  type SettingDoc,
} from "./settings-doc.js";
export { createLogger, REDACTED_PATHS, type Logger } from "./logger.js";
export {
  HttpProblem,
  problemMiddleware,
  problemSchema,
  parseRequest,
  routeNotFound,
  type Problem,
} from "./problems.js";
export { apiDocument, type OpenApiDocument } from "./openapi/api-document.js";
export type { ApiDocs, HeaderDoc, ResponseDoc, RouteDoc, RouteDocs } from "./openapi/route-docs.js";
export {
  cursorParam,
  encodeCursor,
  keysetPage,
  limitParam,
  pageSchema,
  type KeysetPosition,
  type Page,
} from "./cursor.js";
export {
  createServiceApp,
  createMetricsRegistry,
  defineApi,
  platformAccess,
  listen,
  type ReadinessCheck,
  type ServiceApi,
  type ServiceAppOptions,
} from "./http.js";
export { readAtScrape } from "./scrape-reading.js";
export { installGracefulShutdown, type Stoppable } from "./shutdown.js";
export {
  runService,
  type BaseConfig,
  type ServiceContext,
  type ServiceDefinition,
  type RunningService,
  type Worker,
} from "./service.js";
export { systemDeps, type ApplicationDeps } from "./application-deps.js";
export {
  Grant,
  mountRoutes,
  parseRouteKey,
  type AccessMatrix,
  type RouteHandler,
  type RouteHandlers,
  type RouteRules,
  type Scope,
} from "./security/access.js";
export { auditMigrations, notePatients, outcomeOf, type AuditOutcome } from "./security/audit.js";
export { authenticate, principalOf, type SessionAuthenticator } from "./security/authenticate.js";
export type { Principal } from "./security/principal.js";
export { securityConfigShape, type SecurityConfig } from "./security/security-config.js";
export { TokenVerifier } from "./security/token-verifier.js";
