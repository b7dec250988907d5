import type { Config } from '../config.js';

/**
 * What the console needs to sign people in with the identity provider: the
 * issuer to discover, its own client id, the scopes, and the audience its
 * access token must carry for this API (AUTH_AUDIENCE). A null client id
 * means production sign-in is not set up; the console says so.
 */
export function consoleOidcSettings(config: Config) {
  return {
    method: 'oidc' as const,
    issuer: config.AUTH_ISSUER ?? null,
    clientId: config.CONSOLE_OIDC_CLIENT_ID ?? null,
    scopes: config.CONSOLE_OIDC_SCOPES,
    audience: config.AUTH_AUDIENCE ?? null,
    audienceParameter: config.CONSOLE_OIDC_AUDIENCE_PARAMETER,
  };
}

/** Where the console's script fetches during sign-in (discovery, token): the issuer's origin and any others configured. */
export function consoleOidcOrigins(config: Config): string[] {
  const issuer = config.AUTH_ISSUER && URL.canParse(config.AUTH_ISSUER) ? [new URL(config.AUTH_ISSUER).origin] : [];
  return [...new Set([...issuer, ...config.CONSOLE_OIDC_CONNECT_ORIGINS])];
}
