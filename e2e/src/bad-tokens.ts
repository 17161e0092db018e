/** Tokens an API must refuse, each spoiled in one way, signed as an attacker could. */
import { createHmac, createPublicKey, type JsonWebKey } from "node:crypto";
import { generateSigningKey, type SigningKey } from "@fulfillment/identity";
import { SignJWT, type JWTPayload } from "jose";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export interface TokenCase {
  name: string;
  /** The Authorization header to send, or undefined for none. */
  header: string | undefined;
}

/** One Authorization header per way a token can be wrong, against `issuer` and its `key`. */
export async function badTokens(issuer: string, key: SigningKey): Promise<TokenCase[]> {
  const now = Math.floor(Date.now() / 1000);
  const good: JWTPayload = {
    iss: issuer,
    aud: "fulfillment",
    sub: "attacker",
    roles: ["operator"],
    iat: now,
    exp: now + 600,
  };
  const sign = (claims: JWTPayload, with_ = key) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: with_.kid }).sign(with_.privateKey);
  const stranger = await generateSigningKey();
  const valid = await sign(good);
  const [header, , signature] = valid.split(".");
  const publicPem = createPublicKey({ key: key.publicJwk as JsonWebKey, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString();
  const hmacBody = `${b64({ alg: "HS256", typ: "JWT", kid: key.kid })}.${b64(good)}`;
  return [
    { name: "missing", header: undefined },
    { name: "malformed", header: "Bearer this-is-not-a-jwt" },
    { name: "not a bearer token", header: "Basic YWRtaW46YWRtaW4=" },
    { name: "expired", header: `Bearer ${await sign({ ...good, iat: now - 7200, exp: now - 3600 })}` },
    { name: "not yet valid", header: `Bearer ${await sign({ ...good, nbf: now + 3600 })}` },
    {
      name: "wrong issuer",
      header: `Bearer ${await sign({ ...good, iss: "http://127.0.0.1:1/elsewhere" })}`,
    },
    { name: "wrong audience", header: `Bearer ${await sign({ ...good, aud: "another-api" })}` },
    { name: "unknown key id", header: `Bearer ${await sign(good, stranger)}` },
    {
      name: "tampered signature",
      header: `Bearer ${header}.${b64({ ...good, sub: "someone" })}.${signature}`,
    },
    { name: "alg none", header: `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(good)}.` },
    {
      name: "HMAC signed with the public key",
      header: `Bearer ${hmacBody}.${createHmac("sha256", publicPem).update(hmacBody).digest("base64url")}`,
    },
  ];
}
