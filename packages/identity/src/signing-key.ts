import { randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";

/** The algorithm the local issuer signs with: RS256, what every OpenID provider and client supports. */
export const SIGNING_ALGORITHM = "RS256";

/** A key the local issuer signs tokens with, and the public half it publishes in its JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const KEY_FILE = "signing-key.jwk.json";

/** A new RS256 key pair with a fresh key id (for tests, and for the first start of the local issuer). */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: "sig" };
  return { kid, privateKey, publicJwk };
}

/**
 * The local issuer's key, kept in `dir` (readable by its owner only) so tokens stay valid across
 * restarts; created on first use.
 */
export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey> {
  const file = join(dir, KEY_FILE);
  const stored = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (stored !== null) return signingKeyFromJwk(JSON.parse(stored) as JWK);
  const key = await generateSigningKey();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privateJwk = { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: SIGNING_ALGORITHM };
  await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600, flag: "wx" }).catch(
    (error: NodeJS.ErrnoException) => {
      // Another process created it first: use theirs, so every token verifies against one key.
      if (error.code !== "EEXIST") throw error;
    },
  );
  await chmod(file, 0o600);
  return signingKeyFromJwk(JSON.parse(await readFile(file, "utf8")) as JWK);
}

async function signingKeyFromJwk(privateJwk: JWK): Promise<SigningKey> {
  if (!privateJwk.kid || !privateJwk.n || !privateJwk.e || !privateJwk.d) {
    throw new Error(
      `the local signing key is not an RSA private JWK with a kid; delete ${KEY_FILE} under the identity folder and start again`,
    );
  }
  const privateKey = (await importJWK(privateJwk, SIGNING_ALGORITHM)) as CryptoKey;
  const publicJwk: JWK = {
    kty: "RSA",
    n: privateJwk.n,
    e: privateJwk.e,
    kid: privateJwk.kid,
    alg: SIGNING_ALGORITHM,
    use: "sig",
  };
  return { kid: privateJwk.kid, privateKey, publicJwk };
}
