import { describe, expect, it } from 'vitest';
import { authModeProblems, isLoopbackHost, secretProblem } from '../../src/auth/dev-token-guard.js';
import { groupRolesSchema, rolesFromGroups } from '../../src/auth/group-roles.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { partyOf } from '../../workflows/complaint-parties.js';
import { minimalEnv } from '../support/config-fixture.js';

// Pure rules behind the authority checks: config load, group mapping, complaint parties.
const base = minimalEnv;
const RANDOM = minimalEnv.AUTH_HS256_SECRET;
const jwks = {
  AUTH_MODE: 'jwks',
  AUTH_JWKS_URL: 'https://idp.example.com/jwks',
  AUTH_ISSUER: 'https://idp.example.com',
  AUTH_AUDIENCE: 'brand-auth',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loopback hosts', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['api.example.com', false],
    ['127.0.0.1.evil.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('secrets', () => {
  it.each([
    ['change-me-change-me-change-me-change-me', /placeholder/],
    ['CHANGEME_please_to_a_random_value_0123', /placeholder/],
    ['please-change_me-to-something-random-1234', /placeholder/],
    ['your-secret-here-at-least-32-characters', /placeholder/],
    ['dev-secret-dev-secret-dev-secret-dev-secret', /placeholder/],
    ['a'.repeat(40), /too predictable/],
    ['abababababababababababababababab', /too predictable/],
    ['0123456701234567012345670123456701234567', /too predictable/],
  ])('refuses %s', (value, reason) => {
    expect(secretProblem('AUTH_HS256_SECRET', value)).toMatch(reason);
  });

  it.each([
    ['32 random characters', RANDOM],
    ['openssl rand -base64 32', 'r0Yv7xq2S9pE1kG8wLmZtB4cN6dHfJ3uQaVy5sXo+Tw='],
    ['openssl rand -hex 16', '9f86d081884c7d659a2feaa0c55ad015'],
  ])('accepts %s', (_case, value) => {
    expect(secretProblem('AUTH_HS256_SECRET', value)).toBeNull();
  });
});

describe('dev tokens (hs256) at config load', () => {
  it('are accepted in development and test on loopback', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'development', HOST: '127.0.0.1' })).toEqual([]);
    expect(problemsOf({ ...base, NODE_ENV: 'test', HOST: '::1' })).toEqual([]);
    expect(loadConfig(base).AUTH_MODE).toBe('hs256');
  });

  it('are refused beyond loopback, the default mode included, with what to do instead', () => {
    const problems = problemsOf({ ...base, HOST: '0.0.0.0' });
    expect(problems).toEqual([expect.stringContaining('needs HOST on loopback (127.0.0.1, ::1 or localhost), not 0.0.0.0')]);
    expect(problems[0]).toContain('Use AUTH_MODE=jwks');
    expect(problemsOf({ ...base, AUTH_MODE: 'hs256', HOST: '10.1.2.3' })).toHaveLength(1);
  });

  it('beyond loopback need the explicit container flag', () => {
    expect(problemsOf({ ...base, HOST: '0.0.0.0', AUTH_HS256_ALLOW_NON_LOOPBACK: 'true' })).toEqual([]);
    expect(problemsOf({ ...base, HOST: '0.0.0.0', AUTH_HS256_ALLOW_NON_LOOPBACK: 'false' })).toHaveLength(1);
  });

  it('are refused in production even on loopback', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'production' })).toEqual(['AUTH_MODE must be jwks in production']);
  });

  it('are refused with a placeholder or predictable secret', () => {
    expect(problemsOf({ ...base, AUTH_HS256_SECRET: 'change-me-to-a-long-random-secret-value' })).toEqual([
      expect.stringMatching(/^AUTH_HS256_SECRET is a placeholder; use a random value/),
    ]);
    expect(problemsOf({ ...base, PRODUCT_CODE_HMAC_SECRET: 'x'.repeat(32) })).toEqual([
      expect.stringMatching(/^PRODUCT_CODE_HMAC_SECRET is too predictable/),
    ]);
  });

  it('leave jwks mode alone on any host', () => {
    expect(problemsOf({ ...base, ...jwks, NODE_ENV: 'production', HOST: '0.0.0.0' })).toEqual([]);
    expect(authModeProblems({ ...jwks, HOST: '0.0.0.0', AUTH_HS256_SECRET: 'change-me' })).toEqual([]);
  });
});

describe('jwks settings', () => {
  it('default to asymmetric algorithms, 30 s of clock tolerance and the groups claim', () => {
    const config = loadConfig({ ...base, ...jwks });
    expect(config.AUTH_JWKS_ALGORITHMS).toEqual(['RS256', 'ES256', 'EdDSA']);
    expect(config.AUTH_CLOCK_TOLERANCE_SECONDS).toBe(30);
    expect(config.AUTH_GROUPS_CLAIM).toBe('groups');
    expect(config.AUTH_GROUP_ROLES.size).toBe(0);
  });

  it.each(['HS256', 'none', 'RS256,HS512', ''])('refuse the algorithm list %j', (list) => {
    expect(problemsOf({ ...base, ...jwks, AUTH_JWKS_ALGORITHMS: list })).toEqual([expect.stringMatching(/^AUTH_JWKS_ALGORITHMS\.?\d* /)]);
  });

  it.each([
    ['a group mapped to ADMIN', '{"staff":"ADMIN"}'],
    ['a group mapped to REVIEWER', '{"staff":["MERCHANT","REVIEWER"]}'],
    ['an unknown role', '{"staff":"OWNER"}'],
    ['a list, not an object', '["MERCHANT"]'],
    ['text that is not JSON', 'platform-merchants=MERCHANT'],
  ])('refuse %s in AUTH_GROUP_ROLES', (_case, value) => {
    const problems = problemsOf({ ...base, ...jwks, AUTH_GROUP_ROLES: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_GROUP_ROLES/);
  });
});

describe('group mapping', () => {
  const mapping = groupRolesSchema.parse('{"platform-merchants":"MERCHANT","brand-owners":["BRAND","MERCHANT"],"shoppers":"CONSUMER"}');

  it.each([
    ['one mapped group', ['platform-merchants'], ['MERCHANT']],
    ['two groups, roles once each', ['platform-merchants', 'brand-owners'], ['MERCHANT', 'BRAND']],
    ['a single group as a string', 'shoppers', ['CONSUMER']],
    ['unlisted groups', ['admins', 'reviewers', 'ADMIN'], []],
    ['no claim', undefined, []],
    ['a claim of the wrong type', { admin: true }, []],
    ['non-string members', [42, null, 'shoppers'], ['CONSUMER']],
  ])('%s', (_case, claim, roles) => {
    expect(rolesFromGroups(mapping, claim)).toEqual(roles);
  });
});

describe('complaint parties', () => {
  const sides = { consumerId: 'consumer-1', storeOwnerId: 'owner-1' };
  it.each([
    ['consumer-1', 'CONSUMER'],
    ['owner-1', 'MERCHANT'],
    ['reviewer-1', null],
  ])('%s is party %s', (actorId, party) => {
    expect(partyOf(sides, actorId)).toBe(party);
  });
});
