/**
 * Global setup of the `keycloak` test project: starts the local Keycloak through infra/local
 * (fetching it once, ~180 MB; 20–60 s to start) unless it already answers, and stops it again
 * afterwards only if this run started it.
 */
import {
  keycloakStatus,
  startKeycloak,
  stopKeycloak,
  type KeycloakEndpoints,
} from "@fulfillment/infra-local";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    keycloak: KeycloakEndpoints;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wasUp = (await keycloakStatus()).up;
  const endpoints = await startKeycloak();
  project.provide("keycloak", endpoints);
  return wasUp ? () => Promise.resolve() : () => stopKeycloak();
}
