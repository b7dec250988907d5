import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  encodeStatusList,
  signBadgeCredential,
  signStatusList,
  statusListUrl,
  type BadgeForCredential,
  type StatusPurpose,
} from '../../src/credentials/badge-credentials.js';
import type { SigningKey } from '../../src/credentials/signing-key.js';
import { checkBadgeCredential, type BadgeExpectation, type CredentialSources } from '../../src/console/widget/badge-check.js';
import { createMemoryCache, maxAgeSeconds } from '../../src/console/widget/cache-control.js';
import { pageOriginAllowed } from '../../src/console/widget/site-origin.js';
import { importLogKey } from '../../src/console/widget/log-proof.js';
import { decodeStatusList, isBitSet } from '../../src/console/widget/status-list.js';
import { badgeGrantLog } from '../support/badge-grant-log.js';

// The storefront badge's checks, run in Node (whose WebCrypto has Ed25519 as
// browsers do) against credentials, status lists and log proofs made by the service's own code.

const BASE = 'https://badges.example';
const SHOP = 'https://shop.example';
const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const DAY = 86_400_000;

async function signingKey(kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk };
}

let key: SigningKey;
let otherKey: SigningKey;
beforeAll(async () => {
  [key, otherKey] = await Promise.all([signingKey('k1'), signingKey('k2')]);
});

const log = badgeGrantLog();

/** A credential the service signed for the badge; `logged` (the default) also publishes its grant in the log. */
async function issue(signer: SigningKey, issuer: string, badge: BadgeForCredential, options: { logged?: boolean } = {}) {
  const credential = await signBadgeCredential(signer, issuer, badge);
  if (options.logged ?? true) {
    log.grant(encodeGlobalID('Badge', badge.id), credential);
    await log.publish();
  }
  return credential;
}

const badge = (overrides: Partial<BadgeForCredential> = {}): BadgeForCredential => ({
  id: randomUUID(),
  storeId: 's1',
  brandId: 'r1',
  kind: 'OFFICIAL_STORE',
  issuedAt: new Date(NOW - DAY),
  expiresAt: new Date(NOW + 30 * DAY),
  statusListId: 2,
  statusListIndex: 5,
  brand: { slug: 'acme', name: 'Acme' },
  store: { name: 'Acme Outlet' },
  origins: [SHOP],
  ...overrides,
});

const expected: BadgeExpectation = { store: encodeGlobalID('Store', 's1'), brand: 'acme', pageOrigin: SHOP, issuer: BASE };

/** The service's keys and status lists as the page would fetch them, with the set bits and cache times given. */
function sources(
  options: { set?: Partial<Record<StatusPurpose, number[]>>; listKey?: SigningKey; maxAge?: number; servedAs?: string } = {},
) {
  const fetched: string[] = [];
  const result: CredentialSources = {
    logKey: () => importLogKey(log.vkey),
    grantProof: (badgeId) => log.proof(badgeId),
    jwks: async () => ({ value: { keys: [key.publicJwk] }, expiresAt: NOW + 3_600_000 }),
    statusList: async (url) => {
      fetched.push(url);
      const purpose = url.includes('/revocation/') ? 'revocation' : 'suspension';
      const maxAgeSeconds = options.maxAge ?? 60;
      const value = await signStatusList(options.listKey ?? key, BASE, {
        url: options.servedAs ?? url,
        purpose,
        size: 64,
        setIndexes: options.set?.[purpose] ?? [],
        now: new Date(NOW),
        maxAgeSeconds,
      });
      return { value, expiresAt: NOW + maxAgeSeconds * 1000 };
    },
  };
  return Object.assign(result, { fetched });
}

describe('the badge check', () => {
  it('accepts a genuine credential on a site it names, with the label the service gives, until its status lists are stale', async () => {
    const source = sources({ maxAge: 30 });
    const result = await checkBadgeCredential(await issue(key, BASE, badge()), expected, source, NOW);
    expect(result).toEqual({
      valid: true,
      kind: 'OFFICIAL_STORE',
      label: 'Official store of Acme',
      brandName: 'Acme',
      storeName: 'Acme Outlet',
      recheckAt: NOW + 30_000,
    });
    expect(source.fetched).toEqual([statusListUrl(BASE, 'revocation', 2), statusListUrl(BASE, 'suspension', 2)]);
    const authorized = await issue(key, BASE, badge({ kind: 'AUTHORIZED_STORE' }));
    expect(await checkBadgeCredential(authorized, expected, sources(), NOW)).toMatchObject({ label: 'Official authorized store of Acme' });
  });

  it('refuses a genuine credential until a published checkpoint covers its grant, and under another log key', async () => {
    const issued = badge();
    const credential = await issue(key, BASE, issued, { logged: false });
    log.grant(encodeGlobalID('Badge', issued.id), credential);
    const notYet = await checkBadgeCredential(credential, expected, sources(), NOW);
    expect(notYet).toEqual({ valid: false, reason: expect.stringMatching(/^log proof: HTTP 404: .*no published checkpoint covers/) });

    await log.publish();
    expect(await checkBadgeCredential(credential, expected, sources(), NOW)).toMatchObject({ valid: true });
    const otherLog = sources();
    otherLog.logKey = () => importLogKey(badgeGrantLog(log.origin).vkey);
    expect(await checkBadgeCredential(credential, expected, otherLog, NOW)).toEqual({
      valid: false,
      reason: 'The checkpoint is not signed by the log’s key.',
    });
  });

  it('refuses a revoked or suspended badge by its bit in the signed list', async () => {
    const credential = await issue(key, BASE, badge());
    const revoked = await checkBadgeCredential(credential, expected, sources({ set: { revocation: [5] } }), NOW);
    expect(revoked).toEqual({ valid: false, reason: 'The badge is under revocation.' });
    const suspended = await checkBadgeCredential(credential, expected, sources({ set: { suspension: [5] } }), NOW);
    expect(suspended).toEqual({ valid: false, reason: 'The badge is under suspension.' });
    // Neighbouring bits say nothing about this badge.
    expect(await checkBadgeCredential(credential, expected, sources({ set: { revocation: [4, 6] } }), NOW)).toMatchObject({ valid: true });
  });

  it('refuses a credential copied onto another site, or shown for another store or brand', async () => {
    const credential = await issue(key, BASE, badge());
    for (const pageOrigin of ['https://shop.example.evil.test', 'http://shop.example', 'null']) {
      expect(await checkBadgeCredential(credential, { ...expected, pageOrigin }, sources(), NOW)).toEqual({
        valid: false,
        reason: 'The credential does not name this site.',
      });
    }
    const unbound = await issue(key, BASE, badge({ origins: [] }));
    expect(await checkBadgeCredential(unbound, expected, sources(), NOW)).toMatchObject({ valid: false });
    const otherStore = { ...expected, store: encodeGlobalID('Store', 's2') };
    expect(await checkBadgeCredential(credential, otherStore, sources(), NOW)).toMatchObject({
      reason: 'The credential names another store.',
    });
    expect(await checkBadgeCredential(credential, { ...expected, brand: 'acne' }, sources(), NOW)).toMatchObject({
      reason: 'The credential names another brand.',
    });
  });

  it('refuses a forged, expired or foreign-issued credential', async () => {
    const credential = await issue(key, BASE, badge());
    const [header, payload, signature] = credential.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), origins: ['https://fake.example'] }),
    ).toString('base64url');
    const forged = await checkBadgeCredential(
      `${header}.${forgedPayload}.${signature}`,
      { ...expected, pageOrigin: 'https://fake.example' },
      sources(),
      NOW,
    );
    expect(forged).toMatchObject({ valid: false, reason: expect.stringContaining('signature verification failed') });

    const byOtherKey = await issue({ ...otherKey, kid: 'k1' }, BASE, badge());
    expect(await checkBadgeCredential(byOtherKey, expected, sources(), NOW)).toMatchObject({ valid: false });

    const expired = await issue(key, BASE, badge({ expiresAt: new Date(NOW - 120_000) }));
    expect(await checkBadgeCredential(expired, expected, sources(), NOW)).toMatchObject({ reason: expect.stringContaining('"exp"') });

    const elsewhere = await issue(key, 'https://other-issuer.example', badge());
    expect(await checkBadgeCredential(elsewhere, expected, sources(), NOW)).toMatchObject({ reason: expect.stringContaining('"iss"') });
  });

  it('refuses a status list it cannot trust: signed by another key, stale, or another list replayed', async () => {
    const credential = await issue(key, BASE, badge());
    expect(await checkBadgeCredential(credential, expected, sources({ listKey: { ...otherKey, kid: 'k1' } }), NOW)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('status list:'),
    });
    // Signed an hour ago with a minute of cache time: its signature has ended.
    expect(await checkBadgeCredential(credential, expected, sources({ maxAge: 60 }), NOW + 3_600_000)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('status list:'),
    });
    const replayed = sources({ servedAs: statusListUrl(BASE, 'revocation', 9) });
    expect(await checkBadgeCredential(credential, expected, replayed, NOW)).toEqual({
      valid: false,
      reason: 'The status list is not the one the credential names.',
    });
  });
  it('looks a key it does not know up once at the service, as after a key rotation', async () => {
    const reloads: boolean[] = [];
    const source = sources();
    source.jwks = async (reload = false) => {
      reloads.push(reload);
      return { value: { keys: reload ? [key.publicJwk, otherKey.publicJwk] : [key.publicJwk] }, expiresAt: NOW + 3_600_000 };
    };
    const rotated = await issue(otherKey, BASE, badge());
    expect(await checkBadgeCredential(rotated, expected, source, NOW)).toMatchObject({ valid: true });
    expect(reloads).toEqual([false, true]);

    reloads.length = 0;
    const unknown = await issue({ ...otherKey, kid: 'k3' }, BASE, badge());
    expect(await checkBadgeCredential(unknown, expected, source, NOW)).toMatchObject({ valid: false });
    expect(reloads).toEqual([false, true]);
  });
});

describe('the status list bits', () => {
  it('reads the bits the service encodes, most significant first, and refuses an index outside the list', async () => {
    const bits = await decodeStatusList(encodeStatusList(131_072, [0, 9, 131_071]));
    expect(bits).toHaveLength(16_384);
    expect([0, 9, 131_071].map((i) => isBitSet(bits, i))).toEqual([true, true, true]);
    expect([1, 8, 10, 131_070].map((i) => isBitSet(bits, i))).toEqual([false, false, false, false]);
    expect(() => isBitSet(bits, 131_072)).toThrow(RangeError);
    expect(() => isBitSet(bits, -1)).toThrow(RangeError);
    await expect(decodeStatusList('z123')).rejects.toThrow('not multibase base64url');
  });
});

describe('the page origin', () => {
  it('matches only an origin the credential names exactly', () => {
    const origins = ['https://shop.example', 'http://127.0.0.1:8080'];
    expect(pageOriginAllowed(origins, 'https://shop.example')).toBe(true);
    expect(pageOriginAllowed(origins, 'http://127.0.0.1:8080')).toBe(true);
    for (const page of ['https://shop.example:8443', 'https://www.shop.example', 'http://127.0.0.1:8081', 'null']) {
      expect(pageOriginAllowed(origins, page)).toBe(false);
    }
    expect(pageOriginAllowed(undefined, 'https://shop.example')).toBe(false);
    expect(pageOriginAllowed('https://shop.example', 'https://shop.example')).toBe(false);
  });
});

describe('the cache of keys and lists', () => {
  it('reads max-age, and treats no-cache, no-store or none as not reusable', () => {
    expect(maxAgeSeconds('public, max-age=60')).toBe(60);
    expect(maxAgeSeconds('Public, Max-Age=3600')).toBe(3600);
    expect(maxAgeSeconds('public, max-age=0, must-revalidate')).toBe(0);
    expect(maxAgeSeconds('no-cache, max-age=60')).toBe(0);
    expect(maxAgeSeconds(null)).toBe(0);
  });

  it('fetches a URL again only after its max-age, sharing one request between concurrent readers', async () => {
    let clock = NOW;
    const requests: string[] = [];
    const fetcher = (async (url: string) => {
      requests.push(url);
      return new Response(`answer ${requests.length}`, { headers: { 'cache-control': 'public, max-age=10' } });
    }) as typeof fetch;
    const read = createMemoryCache(
      (response) => response.text(),
      fetcher,
      () => clock,
    );
    const [a, b] = await Promise.all([read('https://x.example/l'), read('https://x.example/l')]);
    expect([a.value, b.value, a.expiresAt]).toEqual(['answer 1', 'answer 1', NOW + 10_000]);
    clock += 9_999;
    expect((await read('https://x.example/l')).value).toBe('answer 1');
    clock += 1;
    expect((await read('https://x.example/l')).value).toBe('answer 2');
    expect(requests).toHaveLength(2);
  });

  it('keeps no failed answer', async () => {
    let status = 503;
    const fetcher = (async () => new Response('x', { status, headers: { 'cache-control': 'max-age=60' } })) as unknown as typeof fetch;
    const read = createMemoryCache(
      (response) => response.text(),
      fetcher,
      () => NOW,
    );
    await expect(read('https://x.example/l')).rejects.toThrow('answered HTTP 503');
    status = 200;
    expect((await read('https://x.example/l')).value).toBe('x');
  });
});
