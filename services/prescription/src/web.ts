/**
 * What an in-process prescription app is built from, for tests that serve its API with
 * `createServiceApp` and no Kafka (e.g. accepting tokens from a real Keycloak).
 */
export { prescriptionApi } from "./http/routes.js";
export { migrations } from "./persistence/migrations.js";
export { seedFormulary } from "./persistence/seed.js";
