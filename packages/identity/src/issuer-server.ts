import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";
import { SIGNING_ALGORITHM } from "./signing-key.js";

/** A running local issuer: its URL (the `iss` of its tokens) and the keys it publishes. */
export interface IssuerServer extends AsyncDisposable {
  url: string;
  /** Replaces the published keys (key rotation). */
  publish(keys: readonly JWK[]): void;
  close(): Promise<void>;
}

export interface IssuerServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  keys: readonly JWK[];
}

/**
 * Serves what verifiers fetch from an OpenID provider: the discovery document at
 * `/.well-known/openid-configuration` and the public keys at `/jwks.json`. It issues nothing
 * itself: tokens are minted offline with the private key (see the token CLI).
 */
export async function startIssuerServer(options: IssuerServerOptions): Promise<IssuerServer> {
  let keys = [...options.keys];
  let url = "";
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://issuer").pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "max-age=60" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET") return send(405, { error: "only GET is served" });
    if (path === "/.well-known/openid-configuration") {
      return send(200, {
        issuer: url,
        jwks_uri: `${url}/jwks.json`,
        id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
        response_types_supported: ["token"],
        subject_types_supported: ["public"],
      });
    }
    if (path === "/jwks.json") return send(200, { keys });
    if (path === "/healthz") return send(200, { status: "ok" });
    return send(404, { error: `no ${path}; try /.well-known/openid-configuration or /jwks.json` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  url = `http://${address}:${port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url,
    publish: (next) => (keys = [...next]),
    close,
    [Symbol.asyncDispose]: close,
  };
}
