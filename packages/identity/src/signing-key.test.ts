import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwtVerify, createLocalJWKSet } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mintToken } from "./mint.js";
import { loadOrCreateSigningKey } from "./signing-key.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "identity-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the local signing key", () => {
  it("is created once, readable by its owner only, and the same on every later load", async () => {
    const [first, concurrent] = await Promise.all([loadOrCreateSigningKey(dir), loadOrCreateSigningKey(dir)]);
    expect(concurrent.kid).toBe(first.kid);
    expect((await loadOrCreateSigningKey(dir)).kid).toBe(first.kid);
    const file = join(dir, "signing-key.jwk.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toHaveProperty("d");
    expect(first.publicJwk).not.toHaveProperty("d");
  });

  it("signs tokens that verify against its public JWK, with the claims asked for", async () => {
    const key = await loadOrCreateSigningKey(dir);
    const token = await mintToken(key, "http://issuer.test", {
      subject: "pat-1",
      roles: ["patient"],
      patientId: "pat-1",
      ttlSeconds: 60,
    });
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet({ keys: [key.publicJwk] }),
      {
        issuer: "http://issuer.test",
        audience: "fulfillment",
      },
    );
    expect(protectedHeader).toMatchObject({ alg: "RS256", kid: key.kid });
    expect(payload).toMatchObject({ sub: "pat-1", roles: ["patient"], patient_id: "pat-1" });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });
});
