import { gunzipSync } from 'node:zlib';
import { compactVerify, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  encodeStatusList,
  legacyStatusListUrl,
  signBadgeCredential,
  signStatusList,
  statusListUrl,
} from '../../src/credentials/badge-credentials.js';
import type { SigningKey } from '../../src/credentials/signing-key.js';
import { minimalEnv } from '../support/config-fixture.js';

const BASE = 'https://badges.example';

let key: SigningKey;
beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  key = { kid: 'k1', privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk: await exportJWK(pair.publicKey) };
});

const decode = (encodedList: string) => gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));

describe('the bitstring of a status list', () => {
  it('has exactly size/8 bytes with the given bits set, most significant first', () => {
    const bits = decode(encodeStatusList(16, [0, 9, 15]));
    expect([...bits]).toEqual([0b1000_0000, 0b0100_0001]);
    expect(decode(encodeStatusList(131_072, []))).toHaveLength(16_384);
  });

  it('refuses an index outside the list instead of leaving it out', () => {
    expect(() => encodeStatusList(16, [16])).toThrow('Index 16 is outside a list of 16 bits.');
    expect(() => encodeStatusList(16, [-1])).toThrow(RangeError);
    expect(() => encodeStatusList(131_072, [131_072])).toThrow(RangeError);
  });
});

describe('a signed status list', () => {
  it('expires when its cache time ends, and names the URL it is served at', async () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    const url = statusListUrl(BASE, 'revocation', 3);
    const jws = await signStatusList(key, BASE, { url, purpose: 'revocation', size: 16, setIndexes: [4], now, maxAgeSeconds: 60 });
    await compactVerify(jws, key.publicKey);
    const payload = decodeJwt(jws);
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload).toMatchObject({
      id: 'https://badges.example/status/badges/revocation/3',
      sub: url,
      validFrom: '2026-11-22T10:00:00.000Z',
      validUntil: '2026-11-22T10:01:00.000Z',
      credentialSubject: { id: `${url}#list`, statusPurpose: 'revocation' },
    });
    expect([...decode((payload.credentialSubject as { encodedList: string }).encodedList)]).toEqual([0b0000_1000, 0]);
  });

  it('keeps the unsharded URL for list 0 apart from the sharded ones', () => {
    expect(legacyStatusListUrl(BASE, 'suspension')).toBe('https://badges.example/status/badges/suspension');
    expect(statusListUrl(BASE, 'suspension', 0)).toBe('https://badges.example/status/badges/suspension/0');
  });
});

describe('a badge credential', () => {
  it('points each status entry at the list that holds its bit', async () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    const jws = await signBadgeCredential(key, BASE, {
      id: '00000000-0000-4000-8000-000000000001',
      storeId: '00000000-0000-4000-8000-000000000002',
      brandId: '00000000-0000-4000-8000-000000000003',
      kind: 'OFFICIAL_STORE',
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
      statusListId: 7,
      statusListIndex: 5,
      brand: { slug: 'acme', name: 'Acme' },
      store: { name: 'Acme Flagship' },
    });
    expect(decodeJwt(jws).credentialStatus).toEqual([
      {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '5',
        statusListCredential: 'https://badges.example/status/badges/revocation/7',
      },
      {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'suspension',
        statusListIndex: '5',
        statusListCredential: 'https://badges.example/status/badges/suspension/7',
      },
    ]);
  });
});

describe('status list settings', () => {
  const env = minimalEnv;
  const problems = (overrides: Record<string, string>) => {
    try {
      loadConfig({ ...env, ...overrides });
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('default to lists of 131072 bits, at most 1024 of them, valid for their cache time', () => {
    expect(loadConfig(env)).toMatchObject({ STATUS_LIST_SIZE: 131_072, STATUS_LIST_MAX_LISTS: 1024, STATUS_LIST_MAX_AGE_SECONDS: 60 });
  });

  it('allow small lists in tests and development only, in whole bytes', () => {
    expect(loadConfig({ ...env, NODE_ENV: 'test', STATUS_LIST_SIZE: '16' }).STATUS_LIST_SIZE).toBe(16);
    expect(loadConfig({ ...env, NODE_ENV: 'development', STATUS_LIST_SIZE: '16' }).STATUS_LIST_SIZE).toBe(16);
    expect(problems({ NODE_ENV: 'test', STATUS_LIST_SIZE: '20' })).toEqual(['STATUS_LIST_SIZE must be a multiple of 8']);
    // jwks mode, so that the only problem left in production is the list size.
    const production = {
      NODE_ENV: 'production',
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: 'https://id.example/jwks',
      AUTH_ISSUER: 'https://id.example',
      AUTH_AUDIENCE: 'brand-auth',
    };
    expect(problems({ ...production, STATUS_LIST_SIZE: '16' })).toEqual(['STATUS_LIST_SIZE must be at least 131072 in production']);
    expect(loadConfig({ ...env, ...production, STATUS_LIST_SIZE: '262144' }).STATUS_LIST_SIZE).toBe(262_144);
  });

  it('refuse a list that would expire as it is served, and no room for lists', () => {
    expect(problems({ STATUS_LIST_MAX_AGE_SECONDS: '0' })).toEqual([expect.stringMatching(/^STATUS_LIST_MAX_AGE_SECONDS /)]);
    expect(problems({ STATUS_LIST_MAX_LISTS: '0' })).toEqual([expect.stringMatching(/^STATUS_LIST_MAX_LISTS /)]);
  });
});
