import type { Request, RequestHandler, Response } from "express";
import { HttpProblem } from "../problems.js";
import type { Principal } from "./principal.js";
import type { TokenVerifier } from "./token-verifier.js";

/** Another way than a bearer token to know the caller, e.g. the dashboard's session cookie. */
export type SessionAuthenticator = (req: Request) => Promise<Principal | null>;

const principals = new WeakMap<Response, Principal>();

/** The caller of a request that passed `authenticate`. */
export function principalOf(res: Response): Principal {
  const principal = principals.get(res);
  if (!principal) throw new Error("principalOf() called on a route that is not behind authenticate()");
  return principal;
}

/** The caller, if the request was authenticated (for the audit trail and rate limits). */
export function callerOf(res: Response): Principal | undefined {
  return principals.get(res);
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;
const challenge = { "WWW-Authenticate": 'Bearer realm="fulfillment"' };

/**
 * Requires a valid bearer token (or, where given, a session) and remembers the caller for the
 * routes. Missing or malformed credentials answer 401 with a `WWW-Authenticate` challenge.
 */
export function authenticate(verifier: TokenVerifier, session?: SessionAuthenticator): RequestHandler {
  return async (req, res, next) => {
    const header = req.header("authorization");
    if (header === undefined) {
      const fromSession = session ? await session(req) : null;
      if (fromSession) {
        principals.set(res, fromSession);
        return next();
      }
      throw new HttpProblem(
        401,
        "AUTHENTICATION_REQUIRED",
        "Send an OAuth 2.0 access token: Authorization: Bearer <token> (locally: pnpm --silent token --role <role>).",
        {},
        challenge,
      );
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      throw new HttpProblem(
        401,
        "TOKEN_MALFORMED",
        "The Authorization header must be 'Bearer <token>'.",
        {},
        { "WWW-Authenticate": 'Bearer realm="fulfillment", error="invalid_request"' },
      );
    }
    const { principal, payload } = await verifier.verify(match[1]);
    if (payload.purpose !== undefined) {
      // A one-time dashboard sign-in ticket is signed by the same issuer, but it is no API token.
      throw new HttpProblem(401, "TOKEN_REJECTED", "A sign-in ticket is not an access token.", {}, challenge);
    }
    principals.set(res, principal);
    next();
  };
}
