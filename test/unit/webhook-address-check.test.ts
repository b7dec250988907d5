import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { endpointUrlProblem, isPublicAddress, resolvedAddressProblem } from '../../src/webhooks/address-check.js';
import { urlRules } from '../../src/webhooks/deliveries.js';
import { minimalEnv } from '../support/config-fixture.js';

const strict = { strict: true };
const relaxed = { strict: false };

const jwks = {
  AUTH_MODE: 'jwks',
  AUTH_JWKS_URL: 'https://idp.example.com/jwks',
  AUTH_ISSUER: 'https://idp.example.com',
  AUTH_AUDIENCE: 'brand-auth',
};

describe('webhook destinations', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.5',
    '172.16.3.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('in production: https only, no credentials, no local hosts', () => {
    expect(endpointUrlProblem('https://hooks.example.com/in', strict)).toBeNull();
    expect(endpointUrlProblem('http://hooks.example.com/in', strict)).toBe('A webhook URL must use https.');
    expect(endpointUrlProblem('ftp://hooks.example.com/in', strict)).toBe('A webhook URL must use https.');
    expect(endpointUrlProblem('https://user:pw@hooks.example.com/', strict)).toMatch(/credentials/);
    expect(endpointUrlProblem('https://127.0.0.1:8443/', strict)).toMatch(/private, loopback or link-local/);
    expect(endpointUrlProblem('https://[::1]/', strict)).toMatch(/private, loopback or link-local/);
    expect(endpointUrlProblem('https://169.254.169.254/latest/meta-data', strict)).toMatch(/private, loopback or link-local/);
    expect(endpointUrlProblem('https://localhost/', strict)).toMatch(/this machine/);
    expect(endpointUrlProblem('not a url', strict)).toBe('This is not a valid URL.');
    expect(endpointUrlProblem(`https://example.com/${'a'.repeat(2000)}`, strict)).toMatch(/at most 2000/);
  });

  it('in production: every resolved address must be public', () => {
    expect(resolvedAddressProblem(['93.184.215.14'], strict)).toBeNull();
    expect(resolvedAddressProblem(['93.184.215.14', '10.0.0.1'], strict)).toMatch(/resolves to a private/);
    expect(resolvedAddressProblem([], strict)).toMatch(/does not resolve/);
  });

  it('in development and tests: a receiver on loopback over http', () => {
    expect(endpointUrlProblem('http://127.0.0.1:8080/hook', relaxed)).toBeNull();
    expect(resolvedAddressProblem(['127.0.0.1'], relaxed)).toBeNull();
    expect(endpointUrlProblem('ftp://127.0.0.1/', relaxed)).toBe('A webhook URL must use https.');
  });

  it('the rules follow NODE_ENV: strict only in production', () => {
    const production = loadConfig({ ...minimalEnv, ...jwks, NODE_ENV: 'production' });
    expect(urlRules(production)).toEqual(strict);
    expect(urlRules(loadConfig({ ...minimalEnv, NODE_ENV: 'development' }))).toEqual(relaxed);
    expect(urlRules(loadConfig({ ...minimalEnv, NODE_ENV: 'test' }))).toEqual(relaxed);
    expect(endpointUrlProblem('http://127.0.0.1:8080/hook', urlRules(production))).not.toBeNull();
  });

  it('retries for at least a day in production, for seconds in tests', () => {
    expect(loadConfig(minimalEnv).WEBHOOK_RETRY_WINDOW_SECONDS).toBe(86_400);
    expect(loadConfig({ ...minimalEnv, WEBHOOK_RETRY_WINDOW_SECONDS: '5' }).WEBHOOK_RETRY_WINDOW_SECONDS).toBe(5);
    let error: unknown;
    try {
      loadConfig({ ...minimalEnv, ...jwks, NODE_ENV: 'production', WEBHOOK_RETRY_WINDOW_SECONDS: '3600' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['WEBHOOK_RETRY_WINDOW_SECONDS must be at least 86400 (a day) in production']);
  });
});
