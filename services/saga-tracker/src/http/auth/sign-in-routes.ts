import { DASHBOARD_SIGN_IN_PURPOSE } from "@fulfillment/identity";
import { HttpProblem, type TokenVerifier } from "@fulfillment/runtime";
import type { Express, Request, Response } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import type { OidcClient } from "./oidc-client.js";
import { cookieOf, cookieOptions, type SessionStore } from "./sessions.js";

const LOGIN_COOKIE = "fulfillment_login";
const LOGIN_MAX_AGE_MS = 10 * 60_000;

export interface SignInOptions {
  knex: Knex;
  sessions: SessionStore;
  verifier: TokenVerifier;
  /** Absent when no OpenID client is configured: then only one-time links sign in. */
  oidc: OidcClient | undefined;
  publicUrl: string;
  now: () => Date;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  `<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}</style></head><body><h1>${title}</h1>${body}</body></html>`;

/**
 * How a person opens a dashboard session: the OpenID Connect authorization-code flow with PKCE
 * against the configured provider (/auth/login → provider → /auth/callback), or a one-time
 * sign-in link (/auth/sign-in?ticket=…) printed by the run command for the local default.
 * POST /auth/sign-out ends the session (and the provider's, when it has an end-session endpoint).
 */
export function signInRoutes(app: Express, options: SignInOptions): void {
  const { knex, sessions, verifier, oidc, publicUrl } = options;
  const redirectUri = `${publicUrl}/auth/callback`;

  app.get("/auth/login", async (req, res) => {
    if (!oidc)
      throw new HttpProblem(
        404,
        "SIGN_IN_NOT_CONFIGURED",
        "No OpenID provider is configured for the dashboard (DASHBOARD_OIDC_CLIENT_ID); sign in with a one-time link: pnpm --silent token --sign-in-link",
      );
    const login = await oidc.startLogin(redirectUri);
    await knex("dashboard_logins").insert({
      state: login.state,
      code_verifier: login.codeVerifier,
      created_at: options.now(),
    });
    res.cookie(LOGIN_COOKIE, login.state, cookieOptions(req, LOGIN_MAX_AGE_MS));
    res.redirect(303, login.url.href);
  });

  app.get("/auth/callback", async (req, res) => {
    if (!oidc)
      throw new HttpProblem(
        404,
        "SIGN_IN_NOT_CONFIGURED",
        "No OpenID provider is configured for the dashboard.",
      );
    const state = typeof req.query.state === "string" ? req.query.state : undefined;
    // The state must be the one this browser started with (login CSRF), and used once.
    if (!state || cookieOf(req, LOGIN_COOKIE) !== state)
      throw new HttpProblem(
        400,
        "SIGN_IN_STATE_MISMATCH",
        "This sign-in was not started in this browser; start again at /auth/login.",
      );
    const [pending] = await knex("dashboard_logins")
      .where({ state })
      .where("created_at", ">", new Date(options.now().getTime() - LOGIN_MAX_AGE_MS))
      .delete()
      .returning<Array<{ code_verifier: string }>>(["code_verifier"]);
    if (!pending)
      throw new HttpProblem(
        400,
        "SIGN_IN_EXPIRED",
        "This sign-in expired or was used; start again at /auth/login.",
      );
    const tokens = await oidc.finishLogin(new URL(req.originalUrl, publicUrl), {
      state,
      codeVerifier: pending.code_verifier,
    });
    const { principal } = await verifier.verify(tokens.accessToken);
    res.clearCookie(LOGIN_COOKIE, { path: "/" });
    await sessions.open(req, res, principal, tokens.idToken);
    res.redirect(303, "/");
  });

  app.get("/auth/sign-in", async (req, res) => {
    const ticket = z.string().min(1).max(8_192).safeParse(req.query.ticket);
    if (!ticket.success)
      throw new HttpProblem(
        400,
        "SIGN_IN_TICKET_MISSING",
        "Open the link the run command printed (pnpm --silent token --sign-in-link).",
      );
    const { principal, payload } = await verifier.verify(ticket.data);
    if (payload.purpose !== DASHBOARD_SIGN_IN_PURPOSE || !payload.jti || !payload.exp)
      throw new HttpProblem(
        401,
        "NOT_A_SIGN_IN_TICKET",
        "That token is not a sign-in ticket; print one with pnpm --silent token --sign-in-link.",
      );
    const used = await knex("used_sign_in_tickets")
      .insert({ jti: payload.jti, used_at: options.now(), expires_at: new Date(payload.exp * 1000) })
      .onConflict("jti")
      .ignore()
      .returning("jti");
    if (used.length === 0)
      throw new HttpProblem(
        401,
        "SIGN_IN_TICKET_USED",
        "This sign-in link was used already; print a new one with pnpm --silent token --sign-in-link.",
      );
    await sessions.open(req, res, principal, null);
    res.redirect(303, "/");
  });

  app.post("/auth/sign-out", async (req, res) => {
    requireSameOrigin(req, publicUrl);
    const session = await sessions.find(req);
    await sessions.close(req, res);
    const provider =
      session?.idToken && oidc
        ? await oidc.endSessionUrl(session.idToken, `${publicUrl}/auth/signed-out`)
        : null;
    res.redirect(303, provider?.href ?? "/auth/signed-out");
  });

  app.get("/auth/signed-out", (_req, res) => {
    res.type("html").send(page("Signed out", `<p>You are signed out. <a href="/">Sign in again</a>.</p>`));
  });
}

/** A form post from another site must not sign anyone out (the cookie is SameSite=Lax too). */
function requireSameOrigin(req: Request, publicUrl: string): void {
  const origin = req.header("origin");
  if (
    origin !== undefined &&
    origin !== new URL(publicUrl).origin &&
    origin !== `${req.protocol}://${req.get("host") ?? ""}`
  )
    throw new HttpProblem(403, "CROSS_SITE_REQUEST", "Sign out from the dashboard itself.");
}

/** Where the dashboard sends a person without a session: the provider, or a page explaining the link. */
export function signInRequired(res: Response, oidcConfigured: boolean): void {
  if (oidcConfigured) return res.redirect(303, "/auth/login");
  res
    .status(401)
    .type("html")
    .send(
      page(
        "Sign in",
        "<p>This dashboard shows patient data: sign in first. Locally, open the one-time link printed by <code>bash scripts/run.sh</code>, or print a new one with <code>pnpm --silent token --sign-in-link</code>.</p>",
      ),
    );
}
