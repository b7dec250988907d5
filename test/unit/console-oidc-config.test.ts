import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { consoleOidcOrigins, consoleOidcSettings } from '../../src/http/console-oidc-settings.js';
import { minimalEnv } from '../support/config-fixture.js';

// The console's production sign-in settings: what the API tells the console, and what it refuses to start with.

const production = {
  ...minimalEnv,
  NODE_ENV: 'production',
  AUTH_MODE: 'jwks',
  AUTH_HS256_SECRET: undefined,
  AUTH_JWKS_URL: 'https://login.example.com/jwks',
  AUTH_ISSUER: 'https://login.example.com/',
  AUTH_AUDIENCE: 'https://api.example.com',
  CONSOLE_OIDC_CLIENT_ID: 'brand-console',
};

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('console sign-in settings', () => {
  it('name the issuer, the client, the scopes and the audience asked for by resource indicator', () => {
    const config = loadConfig(production);
    expect(consoleOidcSettings(config)).toEqual({
      method: 'oidc',
      issuer: 'https://login.example.com/',
      clientId: 'brand-console',
      scopes: 'openid profile',
      audience: 'https://api.example.com',
      audienceParameter: 'resource',
    });
    expect(consoleOidcOrigins(config)).toEqual(['https://login.example.com']);
  });

  it('let the console also reach a token endpoint on another host', () => {
    const config = loadConfig({
      ...production,
      CONSOLE_OIDC_CONNECT_ORIGINS: 'https://tokens.example.net/oauth, https://login.example.com',
    });
    expect(consoleOidcOrigins(config)).toEqual(['https://login.example.com', 'https://tokens.example.net']);
  });

  it('refuse scopes without openid and an audience that is no URI for resource indicators', () => {
    expect(problemsOf({ ...production, CONSOLE_OIDC_SCOPES: 'profile email' })).toEqual(['CONSOLE_OIDC_SCOPES must include openid']);
    expect(problemsOf({ ...production, AUTH_AUDIENCE: 'brand-auth' })).toEqual([
      'AUTH_AUDIENCE must be an absolute URI (https://api.example.com) for CONSOLE_OIDC_AUDIENCE_PARAMETER=resource',
    ]);
    // Providers that take an `audience` parameter, or set it themselves, accept any string.
    expect(problemsOf({ ...production, AUTH_AUDIENCE: 'brand-auth', CONSOLE_OIDC_AUDIENCE_PARAMETER: 'audience' })).toEqual([]);
    expect(problemsOf({ ...production, CONSOLE_OIDC_CONNECT_ORIGINS: 'not a url' })).toEqual([
      expect.stringMatching(/^CONSOLE_OIDC_CONNECT_ORIGINS\.0 /),
    ]);
  });
});
