import { packageTestConfig } from "../vitest.shared.js";

export default packageTestConfig(
  import.meta.dirname,
  ["src"],
  [
    // Against a real Keycloak, which its global setup starts (and stops again if it started it).
    {
      name: "keycloak",
      include: ["src/keycloak/**/*.e2e.test.ts"],
      globalSetup: ["src/keycloak/keycloak-setup.ts"],
    },
  ],
);
