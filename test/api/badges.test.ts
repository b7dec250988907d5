import { gunzipSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BADGE_FIELDS,
  REQUEST_OFFICIAL_BADGE,
  REVOKE_BADGE,
  actor,
  createStore,
  publishedBadge,
  verifiedBrand,
  type Actor,
} from '../support/store-operations.js';
import { registerBrand } from '../support/brand-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { SETTLES } from '../support/settle.js';

let stack: Stack;
let owner: Actor; // a brand member who also runs stores
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

async function officialBadge(brandId: string, storeId: string, who: Actor = owner) {
  return stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId, brandId } }, { token: who.token });
}

async function issuedBadge() {
  const brand = await verifiedBrand(stack, owner, reviewer);
  const store = await createStore(stack, owner);
  const res = await officialBadge(brand.id, store.id);
  return { brand, store, badge: await publishedBadge(stack, res.body.data.requestOfficialBadge.badge.id) };
}

const fetchPath = (path: string) => stack.http(path);

async function jwks(): Promise<JSONWebKeySet> {
  const res = await fetchPath('/.well-known/jwks.json');
  expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
  return res.json();
}

/** Reads bit `index` of a signed status list, verified against the JWKS alone. */
async function statusBit(purpose: 'revocation' | 'suspension', index: number): Promise<boolean> {
  const res = await fetchPath(`/status/badges/${purpose}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe(`public, max-age=${stack.config.STATUS_LIST_MAX_AGE_SECONDS}`);
  const keys = createLocalJWKSet(await jwks());
  const { payload } = await compactVerify(await res.text(), keys);
  const list = JSON.parse(new TextDecoder().decode(payload));
  expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  expect(list.credentialSubject.statusPurpose).toBe(purpose);
  const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
  expect(bits.length).toBe(16_384);
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

describe('official store badge', () => {
  it('is issued at once to a store owner who is a member of a VERIFIED brand, and only once', async () => {
    const brand = await verifiedBrand(stack, owner, reviewer);
    const store = await createStore(stack, owner, 'Acme Flagship');
    const first = await officialBadge(brand.id, store.id);
    expect(first.body.errors).toBeUndefined();
    const badge = first.body.data.requestOfficialBadge.badge;
    expect(badge).toMatchObject({
      kind: 'OFFICIAL_STORE',
      status: 'ACTIVE',
      label: `Official store of ${(await stack.db.brand.findUniqueOrThrow({ where: { id: rowId(brand.id) } })).name}`,
      expiresAt: brand.validUntil.toISOString(),
      revokedReason: null,
      store: { id: store.id, name: 'Acme Flagship' },
      brand: { id: brand.id, slug: brand.slug },
    });
    // The credential is handed out once the transparency log's checkpoint covers its grant.
    const published = await publishedBadge(stack, badge.id);
    expect(published.credential).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const again = await officialBadge(brand.id, store.id);
    expect(again.body.data.requestOfficialBadge).toEqual({ badge: { ...badge, credential: published.credential }, userErrors: [] });
    expect(await stack.db.badge.count({ where: { storeId: rowId(store.id) } })).toBe(1);

    const officialStores = await stack.gql(
      `query ($slug: String!) { brand(slug: $slug) { officialStores(first: 10) { edges { node { id name } } pageInfo { hasNextPage endCursor } } } }`,
      { slug: brand.slug },
    );
    expect(officialStores.body.data.brand.officialStores.edges).toEqual([{ node: { id: store.id, name: 'Acme Flagship' } }]);
  });

  it('is refused for a brand that is not VERIFIED, a foreign store, a non-member, and bad ids', async () => {
    const pendingBrand = await registerBrand(stack, owner.token, unique('pending'));
    const store = await createStore(stack, owner);
    const notVerified = await officialBadge(pendingBrand.id, store.id);
    expect(notVerified.body.data.requestOfficialBadge).toMatchObject({
      badge: null,
      userErrors: [{ code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'brandId'] }],
    });

    const brand = await verifiedBrand(stack, owner, reviewer);
    const otherMerchant = await actor(stack, 'other-merchant', ['MERCHANT', 'BRAND']);
    const foreignStore = await createStore(stack, otherMerchant);
    const foreign = await officialBadge(brand.id, foreignStore.id);
    expect(foreign.body.errors).toMatchObject([{ path: ['requestOfficialBadge'], extensions: { code: 'FORBIDDEN' } }]);
    const notMember = await officialBadge(brand.id, foreignStore.id, otherMerchant);
    expect(notMember.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);

    const malformed = await officialBadge('nope', store.id);
    expect(malformed.body.data.requestOfficialBadge.userErrors).toMatchObject([{ code: 'INVALID', field: ['input', 'brandId'] }]);
    const unknown = await officialBadge(Buffer.from('Brand:00000000-0000-4000-8000-000000000000').toString('base64'), store.id);
    // Unknown brand ids are FORBIDDEN like other brands', so the answer never tells which exist.
    expect(unknown.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] });
    const anonymous = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } });
    expect(anonymous.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);

    expect(await stack.db.badge.count({ where: { storeId: { in: [rowId(store.id), rowId(foreignStore.id)] } } })).toBe(0);
  });
});

describe('badge credentials', () => {
  it('verify offline with jose and the JWKS alone, and report revocation through the API and the status list', async () => {
    const { brand, store, badge } = await issuedBadge();
    const { payload, protectedHeader } = await jwtVerify(badge.credential, createLocalJWKSet(await jwks()), {
      issuer: new URL(stack.config.PUBLIC_BASE_URL).origin,
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'badge+jwt' });
    expect(payload).toMatchObject({
      sub: store.id,
      jti: badge.id,
      kind: 'OFFICIAL_STORE',
      brand: { id: brand.id, slug: brand.slug },
      exp: Math.floor(Date.parse(badge.expiresAt) / 1000),
    });
    const index = Number((payload.credentialStatus as Array<{ statusListIndex: string }>)[0]!.statusListIndex);
    expect(await statusBit('revocation', index)).toBe(false);

    const VERIFY = `query ($c: String!) { verifyBadgeCredential(credential: $c) { valid status reason badge { id } } }`;
    expect((await stack.gql(VERIFY, { c: badge.credential })).body.data.verifyBadgeCredential).toEqual({
      valid: true,
      status: 'ACTIVE',
      reason: null,
      badge: { id: badge.id },
    });

    const revoked = await stack.gql(
      REVOKE_BADGE,
      { input: { id: badge.id, reason: 'Sells grey-market goods' } },
      { token: reviewer.token },
    );
    expect(revoked.body.data.revokeBadge).toMatchObject({
      badge: { status: 'REVOKED', revokedReason: 'Sells grey-market goods', credential: null },
      userErrors: [],
    });
    expect((await stack.gql(VERIFY, { c: badge.credential })).body.data.verifyBadgeCredential).toEqual({
      valid: false,
      status: 'REVOKED',
      reason: 'The badge was revoked: Sells grey-market goods.',
      badge: { id: badge.id },
    });
    expect(await statusBit('revocation', index)).toBe(true);

    const twice = await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'again' } }, { token: reviewer.token });
    expect(twice.body.data.revokeBadge.userErrors).toMatchObject([{ code: 'NOT_ALLOWED_IN_STATE' }]);
    const byMerchant = await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'x' } }, { token: owner.token });
    expect(byMerchant.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
  });

  it('calls a tampered or foreign credential invalid with a reason', async () => {
    const { badge } = await issuedBadge();
    const [header, payload, signature] = badge.credential.split('.');
    const claims = decodeJwt(badge.credential);
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp! + 10 * 365 * 86_400 })).toString('base64url')}.${signature}`;
    const VERIFY = `query ($c: String!) { verifyBadgeCredential(credential: $c) { valid status reason } }`;
    expect((await stack.gql(VERIFY, { c: forged })).body.data.verifyBadgeCredential).toEqual({
      valid: false,
      status: null,
      reason: 'The signature does not verify.',
    });
    expect((await stack.gql(VERIFY, { c: 'not a jws' })).body.data.verifyBadgeCredential).toEqual({
      valid: false,
      status: null,
      reason: 'Not a compact JWS.',
    });
    expect(payload).toBeTruthy();
  });
});

describe('storefront path', () => {
  const STORE_BADGES = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { ${BADGE_FIELDS} } } }`;

  it('answers for many stores without a token in at most 3 SQL queries, with empty lists for unknown stores', async () => {
    const brand = await verifiedBrand(stack, owner, reviewer);
    const stores = [];
    for (let i = 0; i < 5; i++) {
      const store = await createStore(stack, owner);
      await officialBadge(brand.id, store.id);
      stores.push(store);
    }
    const unknown = Buffer.from('Store:00000000-0000-4000-8000-000000000000').toString('base64');
    const ids = [...stores.map((s) => s.id), unknown, 'garbage'];

    stack.sql.length = 0;
    const res = await stack.gql(STORE_BADGES, { ids });
    expect(stack.sql.length).toBeLessThanOrEqual(3);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.storeBadges.map((entry: { storeId: string; badges: unknown[] }) => [entry.storeId, entry.badges.length])).toEqual([
      ...stores.map((s) => [s.id, 1]),
      [unknown, 0],
      ['garbage', 0],
    ]);
    expect(res.body.data.storeBadges[0].badges[0]).toMatchObject({
      kind: 'OFFICIAL_STORE',
      status: 'ACTIVE',
      store: { id: stores[0]!.id },
      brand: { slug: brand.slug },
    });

    // The count does not grow with the number of stores.
    const hundred = [
      ...ids,
      ...Array.from({ length: 100 - ids.length }, (_, i) =>
        Buffer.from(`Store:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64'),
      ),
    ];
    stack.sql.length = 0;
    const many = await stack.gql(STORE_BADGES, { ids: hundred });
    expect(many.body.data.storeBadges).toHaveLength(100);
    expect(stack.sql.length).toBeLessThanOrEqual(3);

    const badgeStatus = await stack.gql(
      `query ($id: ID!, $slug: String) { badgeStatus(storeId: $id, brandSlug: $slug) { kind status brand { slug } } }`,
      { id: stores[0]!.id, slug: brand.slug },
    );
    expect(badgeStatus.body.data.badgeStatus).toEqual([{ kind: 'OFFICIAL_STORE', status: 'ACTIVE', brand: { slug: brand.slug } }]);
    const otherBrand = await stack.gql(`query ($id: ID!) { badgeStatus(storeId: $id, brandSlug: "no-such-brand") { id } }`, {
      id: stores[0]!.id,
    });
    expect(otherBrand.body.data.badgeStatus).toEqual([]);
  });

  it('refuses more than 100 stores with a clear error', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    const res = await stack.gql(STORE_BADGES, { ids });
    expect(res.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({ message: 'storeBadges takes at most 100 store ids; got 101.', extensions: { code: 'LIMIT_EXCEEDED' } }),
      ],
    });
  });

  it('rate-limits callers without a token per address, with a clear error', async () => {
    const limited = await startStack({ config: { PUBLIC_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' } });
    try {
      const ask = (address: string, token?: string) =>
        limited.gql(`{ storeBadges(storeIds: []) { storeId } }`, {}, { headers: { 'x-forwarded-for': address }, token });
      for (let i = 0; i < 3; i++) expect((await ask('203.0.113.7')).status).toBe(200);
      const refused = await ask('203.0.113.7');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.body.errors).toMatchObject([
        {
          message: expect.stringMatching(/^Too many requests without a token from this address; retry in \d+ s or sign in\.$/),
          extensions: { code: 'RATE_LIMITED' },
        },
      ]);
      expect((await ask('203.0.113.8')).status).toBe(200);
      expect((await ask('203.0.113.7', owner.token)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('badgeChanged', () => {
  it('streams badge changes over server-sent events', async () => {
    const { store, badge } = await issuedBadge();
    const stream = await stack.subscribe(`subscription ($id: ID!) { badgeChanged(storeId: $id) { id status revokedReason } }`, {
      id: store.id,
    });
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'Counterfeits found' } }, { token: reviewer.token });
    await vi.waitFor(() => expect(stream.received).toHaveLength(1), SETTLES);
    await stream.close();
    const data = stream.received[0];
    expect(data).toEqual({ data: { badgeChanged: { id: badge.id, status: 'REVOKED', revokedReason: 'Counterfeits found' } } });
  });
});
