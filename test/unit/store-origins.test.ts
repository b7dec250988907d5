import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { addressKind, isAllowedAddress, isLoopbackHostname } from '../../src/net/public-address.js';
import { originOfUrl, parseStoreOrigin } from '../../src/net/web-origin.js';
import { couponValidity, normalizeCouponCode } from '../../src/services/coupons.js';
import { handleFromName, handleProblem, slugOfName } from '../../src/services/store-handles.js';
import { fileHasToken } from '../../src/services/store-origins.js';
import { minimalEnv } from '../support/config-fixture.js';

const production = { allowLoopback: false };
const development = { allowLoopback: true };

describe('the SSRF address check', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.45.6.7', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'non-public'],
    ['172.16.0.1', 'non-public'],
    ['192.168.1.1', 'non-public'],
    ['169.254.169.254', 'non-public'],
    ['100.64.0.1', 'non-public'],
    ['0.0.0.0', 'non-public'],
    ['224.0.0.1', 'non-public'],
    ['255.255.255.255', 'non-public'],
    ['fc00::1', 'non-public'],
    ['fe80::1', 'non-public'],
    ['::ffff:10.0.0.1', 'non-public'],
    ['64:ff9b::a00:1', 'non-public'],
    ['2002:a00:1::', 'non-public'],
    ['::', 'non-public'],
    ['shop.example', 'invalid'],
    ['127.1', 'invalid'],
    ['', 'invalid'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it('allows public addresses always, loopback only when asked, never private ones', () => {
    expect(isAllowedAddress('93.184.216.34', production)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', production)).toBe(false);
    expect(isAllowedAddress('::1', production)).toBe(false);
    expect(isAllowedAddress('127.0.0.1', development)).toBe(true);
    expect(isAllowedAddress('10.0.0.1', development)).toBe(false);
    expect(isAllowedAddress('169.254.169.254', development)).toBe(false);
    expect(isAllowedAddress('not-an-address', development)).toBe(false);
  });

  it('knows the names that always mean this machine', () => {
    expect(isLoopbackHostname('localhost')).toBe(true);
    expect(isLoopbackHostname('LOCALHOST.')).toBe(true);
    expect(isLoopbackHostname('shop.localhost')).toBe(true);
    expect(isLoopbackHostname('127.0.0.1')).toBe(true);
    expect(isLoopbackHostname('localhost.example')).toBe(false);
  });
});

describe('store origins', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['https://Shop.Example/', 'https://shop.example'],
    ['  https://shop.example:8443 ', 'https://shop.example:8443'],
    ['https://shop.example:443', 'https://shop.example'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://93.184.216.34', 'https://93.184.216.34'],
  ])('%s is the origin %s', (input, origin) => {
    expect(parseStoreOrigin(input, production)).toEqual({ ok: true, origin, hostname: expect.any(String) });
  });

  it.each([
    ['', 'Give an origin'],
    ['shop.example', 'not a URL'],
    ['http://shop.example', 'uses https'],
    ['ftp://shop.example', 'starts with https'],
    ['https://user:pw@shop.example', 'no user name'],
    ['https://shop.example/products', 'without a path'],
    ['https://shop.example/?q=1', 'without a path'],
    ['https://shop.example/#top', 'without a path'],
    ['https://intranet', 'full domain name'],
    ['https://10.0.0.5', 'not on the public internet'],
    ['https://169.254.169.254', 'not on the public internet'],
    ['https://[fd00::1]', 'not on the public internet'],
    ['https://localhost', 'loopback'],
    ['http://127.0.0.1:3000', 'loopback'],
    [`https://${'a'.repeat(250)}.example`, 'at most'],
  ])('refuses %s', (input, message) => {
    const parsed = parseStoreOrigin(input, production);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });

  it('takes http on loopback only in development, and private addresses never', () => {
    expect(parseStoreOrigin('http://127.0.0.1:3000', development)).toMatchObject({ ok: true, origin: 'http://127.0.0.1:3000' });
    expect(parseStoreOrigin('http://localhost:3000', development)).toMatchObject({ ok: true, origin: 'http://localhost:3000' });
    expect(parseStoreOrigin('http://[::1]:3000', development)).toMatchObject({ ok: true, origin: 'http://[::1]:3000' });
    expect(parseStoreOrigin('http://shop.example', development).ok).toBe(false);
    expect(parseStoreOrigin('http://10.0.0.1', development).ok).toBe(false);
  });

  it('finds the origin of a pasted URL', () => {
    expect(originOfUrl('https://Shop.Example/p/1?x=2#y')).toBe('https://shop.example');
    expect(originOfUrl('shop.example/products/42')).toBe('https://shop.example');
    expect(originOfUrl('http://127.0.0.1:3000/cart')).toBe('http://127.0.0.1:3000');
    expect(originOfUrl('mailto:someone@shop.example')).toBeNull();
    expect(originOfUrl('javascript:alert(1)')).toBeNull();
    expect(originOfUrl('not a url')).toBeNull();
    expect(originOfUrl('')).toBeNull();
  });

  it('reads the token from a line of the verification file', () => {
    const token = 'brand-auth-verification=abc';
    expect(fileHasToken(`${token}\n`, token)).toBe(true);
    expect(fileHasToken(`# other\r\n  ${token}  \r\n`, token)).toBe(true);
    expect(fileHasToken(`${token}x`, token)).toBe(false);
    expect(fileHasToken('<html>brand-auth-verification=abc</html>', token)).toBe(false);
  });

  it('allows loopback origins in any environment but production', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ ...minimalEnv, STORE_ORIGIN_ALLOW_LOOPBACK: 'true' })).toEqual([]);
    expect(problems({ ...minimalEnv, NODE_ENV: 'production', STORE_ORIGIN_ALLOW_LOOPBACK: 'true' })).toContain(
      'STORE_ORIGIN_ALLOW_LOOPBACK must be false in production',
    );
  });
});

describe('store handles', () => {
  it.each(['abc', 'acme-outlet', 'a1-b2-c3', 'x'.repeat(40)])('%s is a handle', (handle) => {
    expect(handleProblem(handle)).toBeNull();
  });

  it.each(['ab', 'x'.repeat(41), 'Acme', 'acme--outlet', '-acme', 'acme-', 'acme_outlet', 'acme.outlet', 'acme outlet', 'ácme'])(
    '%s is not a handle',
    (handle) => {
      expect(handleProblem(handle)).not.toBeNull();
    },
  );

  it('makes a handle of a store name with a random suffix', () => {
    expect(slugOfName('  Acme — Outlet Store! ')).toBe('acme-outlet-store');
    expect(slugOfName('Café Müller')).toBe('cafe-muller');
    expect(slugOfName('北京商店')).toBe('store');
    expect(slugOfName(`${'Long name '.repeat(10)}`)).toMatch(/^[a-z0-9-]{1,30}$/);
    const handle = handleFromName('Acme Outlet');
    expect(handle).toMatch(/^acme-outlet-[a-z2-9]{6}$/);
    expect(handleProblem(handle)).toBeNull();
    expect(handleProblem(handleFromName('-'.repeat(200)))).toBeNull();
    expect(handleProblem(handleFromName('Long name '.repeat(20)))).toBeNull();
  });
});

describe('coupon codes', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  it('ignores case, spaces and hyphens', () => {
    expect(normalizeCouponCode(' abcd-efgh ijkl ')).toBe('ABCDEFGHIJKL');
  });

  it('is valid until it expires or is redeemed', () => {
    expect(couponValidity(null, now)).toBe('UNKNOWN');
    expect(couponValidity({ expiresAt: new Date('2027-02-01'), redeemedAt: null }, now)).toBe('VALID');
    expect(couponValidity({ expiresAt: now, redeemedAt: null }, now)).toBe('EXPIRED');
    expect(couponValidity({ expiresAt: new Date('2026-01-01'), redeemedAt: new Date('2025-12-01') }, now)).toBe('REDEEMED');
  });
});
