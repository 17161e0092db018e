import { createHmac, createPublicKey, type JsonWebKey } from "node:crypto";
import { generateSigningKey, mintToken, startIssuerServer } from "@fulfillment/identity";
import { SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFixture, type HttpFixture } from "../http.fixture.js";

let fx: HttpFixture;
beforeAll(async () => {
  fx = await createHttpFixture("runtime_authn");
});
afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Claims of a token the API would accept, for the cases that spoil one thing. */
function goodClaims(): JWTPayload {
  return {
    iss: fx.issuer.url,
    aud: "fulfillment",
    sub: "op",
    roles: ["operator"],
    iat: now(),
    exp: now() + 600,
  };
}

async function signed(claims: JWTPayload, key = fx.key): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid }).sign(key.privateKey);
}

const get = (path: string, authorization?: string) =>
  fetch(`${fx.base}${path}`, { headers: authorization === undefined ? {} : { authorization } });

describe("bearer tokens", () => {
  it("lets a valid token through", async () => {
    expect((await get("/api/things/t-1", `Bearer ${await signed(goodClaims())}`)).status).toBe(200);
  });

  const cases: Array<[string, () => Promise<string | undefined>]> = [
    ["missing", () => Promise.resolve(undefined)],
    ["not a bearer token", () => Promise.resolve("Basic b3A6b3A=")],
    ["malformed", () => Promise.resolve("Bearer not-a-jwt")],
    [
      "expired",
      async () => `Bearer ${await signed({ ...goodClaims(), iat: now() - 7200, exp: now() - 3600 })}`,
    ],
    ["not yet valid", async () => `Bearer ${await signed({ ...goodClaims(), nbf: now() + 3600 })}`],
    [
      "from another issuer",
      async () => `Bearer ${await signed({ ...goodClaims(), iss: "http://127.0.0.1:1/other" })}`,
    ],
    ["for another audience", async () => `Bearer ${await signed({ ...goodClaims(), aud: "someone-else" })}`],
    ["without a subject", async () => `Bearer ${await signed({ ...goodClaims(), sub: undefined })}`],
    [
      "signed by a key the issuer does not publish",
      async () => `Bearer ${await signed(goodClaims(), await generateSigningKey())}`,
    ],
    [
      "with a tampered payload",
      async () => {
        const [header, , signature] = (await signed(goodClaims())).split(".");
        return `Bearer ${header}.${b64({ ...goodClaims(), sub: "someone-else" })}.${signature}`;
      },
    ],
    ["alg none", () => Promise.resolve(`Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(goodClaims())}.`)],
    [
      "HMAC-signed with the issuer's public key",
      () => {
        // The classic confusion attack: the public key, as PEM, used as an HMAC secret.
        const publicPem = createPublicKey({ key: fx.key.publicJwk as JsonWebKey, format: "jwk" })
          .export({ type: "spki", format: "pem" })
          .toString();
        const body = `${b64({ alg: "HS256", typ: "JWT", kid: fx.key.kid })}.${b64(goodClaims())}`;
        return Promise.resolve(
          `Bearer ${body}.${createHmac("sha256", publicPem).update(body).digest("base64url")}`,
        );
      },
    ],
    [
      "a one-time sign-in ticket",
      async () =>
        `Bearer ${await mintToken(fx.key, fx.issuer.url, { subject: "op", roles: ["operator"], extra: { purpose: "dashboard-sign-in" } })}`,
    ],
  ];

  it.each(cases)(
    "refuses a token that is %s with 401 problem details and a challenge",
    async (_what, token) => {
      const response = await get("/api/things/t-1", await token());
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/application\/problem\+json/);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="fulfillment"/);
      const problem = (await response.json()) as { status: number; title: string; detail: string };
      expect(problem.status).toBe(401);
      expect(problem.detail.length).toBeGreaterThan(10);
    },
  );

  it("accepts a key the issuer starts publishing later (rotation), without a restart", async () => {
    const next = await generateSigningKey();
    fx.issuer.publish([fx.key.publicJwk, next.publicJwk]);
    const token = `Bearer ${await signed(goodClaims(), next)}`;
    // The verifier re-reads the JWKS for an unknown key id at most every few seconds.
    await expect
      .poll(async () => (await get("/api/things/t-1", token)).status, { timeout: 15_000, interval: 500 })
      .toBe(200);
  });

  it("answers 503 with Retry-After, not 401, while the issuer cannot be reached", async () => {
    const gone = await startIssuerServer({ keys: [fx.key.publicJwk] });
    const url = gone.url;
    await gone.close();
    const base = await fx.serve({ AUTH_ISSUER: url });
    const token = await new SignJWT({ ...goodClaims(), iss: url })
      .setProtectedHeader({ alg: "RS256", kid: fx.key.kid })
      .sign(fx.key.privateKey);
    const response = await fetch(`${base}/api/things/t-1`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });

  it("answers 503 when the issuer answers but its key set cannot be fetched", async () => {
    const base = await fx.serve({ AUTH_JWKS_URL: `${fx.issuer.url}/no-such-jwks` });
    const response = await fetch(`${base}/api/things/t-1`, {
      headers: { authorization: `Bearer ${await signed(goodClaims())}` },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });
});
