/**
 * What an in-process tracker app is built from, for tests that serve its HTTP side with
 * `createServiceApp` and no Kafka (e.g. the dashboard's sign-in through a real Keycloak).
 */
export { loadTrackerConfig, type TrackerConfig } from "./config.js";
export { trackerWeb, type TrackerWeb, type TrackerWebConfig } from "./http/tracker-web.js";
export { migrations } from "./persistence/migrations.js";
