import * as oidc from "openid-client";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  allowHttp: boolean;
}

/**
 * The dashboard's side of the OpenID Connect authorization-code flow with PKCE (S256), through
 * openid-client. The provider's metadata is discovered on first use and kept.
 */
export class OidcClient {
  private config: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  /** Where to send the browser to sign in, and what to keep for the callback. */
  async startLogin(redirectUri: string): Promise<{ url: URL; state: string; codeVerifier: string }> {
    const config = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid",
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
    });
    return { url, state, codeVerifier };
  }

  /** Exchanges the code the provider sent back (checking state and the PKCE verifier) for tokens. */
  async finishLogin(
    callbackUrl: URL,
    expected: { state: string; codeVerifier: string },
  ): Promise<{ accessToken: string; idToken: string | null }> {
    const tokens = await oidc.authorizationCodeGrant(await this.configuration(), callbackUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
    });
    return { accessToken: tokens.access_token, idToken: tokens.id_token ?? null };
  }

  /** The provider's end-session URL, when it has one, to sign out there too. */
  async endSessionUrl(idToken: string | null, postLogoutRedirectUri: string): Promise<URL | null> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : { client_id: this.settings.clientId }),
    });
  }

  private configuration(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret, allowHttp } = this.settings;
    this.config ??= oidc
      .discovery(new URL(issuer), clientId, clientSecret, undefined, {
        ...(allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.config = undefined;
        throw error;
      });
    return this.config;
  }
}
