/** @fulfillment/runtime — the kit every service is built on. */
export { baseConfigSchema, serviceConfigSchema, loadConfig } from "./config.js";
export { createLogger, REDACTED_PATHS, type Logger } from "./logger.js";
export { HttpProblem, problemMiddleware, parseRequest } from "./problems.js";
export {
  createServiceApp,
  createMetricsRegistry,
  listen,
  type ReadinessCheck,
  type ServiceAppOptions,
} from "./http.js";
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
