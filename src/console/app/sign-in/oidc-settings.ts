/** What GET /console/config.json says about production sign-in (src/http/console-oidc-settings.ts). */
export interface OidcSettings {
  method: 'oidc';
  /** The identity provider, as the API's tokens name it (`iss`); its discovery document lives below it. */
  issuer: string | null;
  /** The console's own registration at the provider; null while sign-in is not set up. */
  clientId: string | null;
  /** Space-separated, `openid` among them. */
  scopes: string;
  /** What the access token's `aud` must be for the API to accept it. */
  audience: string | null;
  /** How that audience is asked for: RFC 8707 `resource`, the `audience` parameter, or not at all. */
  audienceParameter: 'resource' | 'audience' | 'none';
}

/** How the console names the provider to people: its host. */
export const providerName = (issuer: string | null) => (issuer && URL.canParse(issuer) ? new URL(issuer).host : 'the identity provider');

/** A sign-in that could not happen, in words for the person trying. */
export class SignInProblem extends Error {}
