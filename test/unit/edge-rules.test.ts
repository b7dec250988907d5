import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addressKey, clientAddressResolver } from '../../src/http/client-address.js';
import { MAX_COUNTED, rootFields } from '../../src/http/root-fields.js';
import { minimalEnv } from '../support/config-fixture.js';

const env = minimalEnv;

describe('the client address', () => {
  const spoofedChain = '198.51.100.66, 203.0.113.7, 10.0.0.2';
  it.each([
    ['no proxy trusted: the socket peer, whatever the header says', false, '10.0.0.1', '10.0.0.1'],
    ['one hop: the entry the proxy appended', 1, '10.0.0.1', '10.0.0.2'],
    ['two hops: one entry further left, never the client-written leftmost', 2, '10.0.0.1', '203.0.113.7'],
    ['hops beyond the header: its leftmost entry, the most that is known', 9, '10.0.0.1', '198.51.100.66'],
    ['a CIDR list: the first entry outside it', ['10.0.0.0/8'], '10.0.0.1', '203.0.113.7'],
    ['a CIDR list the peer is not in: the peer (an untrusted sender can write anything)', ['10.0.0.0/8'], '192.0.2.50', '192.0.2.50'],
  ] as const)('%s', (_case, trust, peer, expected) => {
    expect(clientAddressResolver(trust as never)(spoofedChain, peer)).toBe(expected);
  });

  it('keys IPv6 clients by their /64 and mapped IPv4 as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::ffff:192.0.2.9')).toBe('192.0.2.9');
    expect(addressKey('192.0.2.9')).toBe('192.0.2.9');
    expect(addressKey('not-an-address')).toBe('not-an-address');
  });
});

describe('root fields', () => {
  it('counts aliases, inline fragments and fragment spreads of the selected operation', () => {
    const document = parse(`
      query A { a: storeBadges(storeIds: []) { storeId } b: storeBadges(storeIds: []) { storeId } ... on Query { c: me { id } } ...F }
      query B { me { id } }
      fragment F on Query { d: verifyProductCode(brandSlug: "x", code: "y") { result } e: me @skip(if: true) { id } }`);
    expect(rootFields(document, 'A')).toEqual({ count: 5, names: new Set(['storeBadges', 'me', 'verifyProductCode']) });
    expect(rootFields(document, 'B')).toEqual({ count: 1, names: new Set(['me']) });
    expect(rootFields(document, 'C')).toEqual({ count: 0, names: new Set() });
  });

  it('stays cheap and bounded for spreads nested to blow up, and survives cycles', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Query { me { id } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    expect(rootFields(parse(`{ ...F0 } ${fragments.join('\n')}`)).count).toBe(MAX_COUNTED);
    expect(rootFields(parse(`{ ...A } fragment A on Query { me { id } ...B } fragment B on Query { ...A }`)).count).toBe(1);
  });
});

describe('edge settings', () => {
  it('reads TRUST_PROXY as off, a number of hops (true meaning one), or proxy addresses and CIDRs', () => {
    expect(loadConfig(env).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...env, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...env, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ ...env, TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::/32' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      '2001:db8::/32',
    ]);
    expect(() => loadConfig({ ...env, TRUST_PROXY: '10.0.0.0/8, proxy.internal' })).toThrow(/TRUST_PROXY .*not "proxy.internal"/);
  });

  it('reads CORS_ORIGINS as exact origins, and REDIS_URL as a redis URL', () => {
    expect(loadConfig(env).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({ ...env, CORS_ORIGINS: 'https://shop.example, http://127.0.0.1:3000' }).CORS_ORIGINS).toEqual([
      'https://shop.example',
      'http://127.0.0.1:3000',
    ]);
    expect(() => loadConfig({ ...env, CORS_ORIGINS: 'https://shop.example/, *' })).toThrow(/CORS_ORIGINS must list origins/);
    expect(() => loadConfig({ ...env, REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL must be a redis:\/\//);
    expect(loadConfig({ ...env, REDIS_URL: 'redis://127.0.0.1:6379/2' }).REDIS_URL).toBe('redis://127.0.0.1:6379/2');
  });

  it('gives signed-in callers a larger budget than anonymous ones by default', () => {
    const config = loadConfig(env);
    expect(config.SIGNED_IN_RATE_LIMIT_PER_MINUTE).toBeGreaterThan(config.PUBLIC_RATE_LIMIT_PER_MINUTE);
  });
});
