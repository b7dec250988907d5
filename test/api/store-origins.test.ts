import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ADD_STORE_ORIGIN,
  REMOVE_STORE_ORIGIN,
  STORE_ORIGINS,
  VERIFY_STORE_ORIGIN,
  bindSite,
  credentialClaims,
  startSite,
  type TestSite,
} from '../support/origin-operations.js';
import {
  BADGE_FIELDS,
  REQUEST_OFFICIAL_BADGE,
  actor,
  createStore,
  publishedBadge,
  verifiedBrand,
  type Actor,
} from '../support/store-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { SETTLES } from '../support/settle.js';

// A store binds its badges to its web site: it claims the origin, publishes
// the token at the well-known path of a real HTTP server on loopback, and the
// service reads it there. Its badge credentials then name the origin.

let stack: Stack;
let owner: Actor;
let reviewer: Actor;
const sites: TestSite[] = [];

beforeAll(async () => {
  stack = await startStack({ worker: true, config: { STORE_ORIGIN_ALLOW_LOOPBACK: 'true', STORE_ORIGIN_FETCH_TIMEOUT_MS: '2000' } });
  owner = await actor(stack, 'origin-owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'origin-reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await Promise.all(sites.map((site) => site.close()));
  await stack?.close();
});

const site = async () => {
  const started = await startSite();
  sites.push(started);
  return started;
};
const code = (res: Awaited<ReturnType<Stack['gql']>>) => res.body.errors?.[0]?.extensions?.code ?? 'OK';
const STORE_BADGES = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { ${BADGE_FIELDS} } } }`;
const VERIFY_CREDENTIAL = `query ($c: String!) { verifyBadgeCredential(credential: $c) { valid reason } }`;

async function storeWithBadge() {
  const store = await createStore(stack, owner);
  const brand = await verifiedBrand(stack, owner, reviewer);
  const issued = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  return { store, badge: await publishedBadge(stack, issued.body.data.requestOfficialBadge.badge.id) };
}

/** The credential the storefront is handed once the log's checkpoint covers a newer one than `previous`. */
const newerStorefrontCredential = (storeId: string, previous: string) =>
  vi.waitFor(
    async () => {
      const credential = await storefrontCredential(storeId);
      if (credential === previous) throw new Error('the new credential awaits its checkpoint');
      return credential;
    },
    { timeout: 30_000, interval: 50 },
  );

/** The anonymous storefront read, as a widget makes it. */
async function storefrontCredential(storeId: string): Promise<string> {
  const res = await stack.gql(STORE_BADGES, { ids: [storeId] });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.storeBadges[0].badges[0].credential;
}

describe('binding a badge to the store web site', () => {
  it('verifies an origin from the token the site serves, and re-issues the badge credential naming it', async () => {
    const { store, badge } = await storeWithBadge();
    expect(credentialClaims(badge.credential).origins).toEqual([]);
    const shop = await site();
    const input = { storeId: store.id, origin: `${shop.origin}/` };

    const added = await stack.gql(ADD_STORE_ORIGIN, { input }, { token: owner.token });
    const claim = added.body.data.addStoreOrigin.storeOrigin;
    expect(added.body.data.addStoreOrigin.userErrors).toEqual([]);
    expect(claim).toMatchObject({
      origin: shop.origin,
      verified: false,
      verifiedAt: null,
      verificationUrl: `${shop.origin}/.well-known/brand-auth-verification.txt`,
    });
    expect(claim.verificationToken).toMatch(/^brand-auth-verification=[\w-]{32}$/);
    // Claiming again gives the same token.
    const again = await stack.gql(ADD_STORE_ORIGIN, { input }, { token: owner.token });
    expect(again.body.data.addStoreOrigin.storeOrigin.verificationToken).toBe(claim.verificationToken);

    // Not yet published: the service says what it found, and keeps it on the claim.
    const early = await stack.gql(VERIFY_STORE_ORIGIN, { input }, { token: owner.token });
    expect(early.body.data.verifyStoreOrigin).toEqual({
      storeOrigin: null,
      userErrors: [
        {
          code: 'NOT_ALLOWED_IN_STATE',
          field: ['input', 'origin'],
          message: `${claim.verificationUrl} answered HTTP 404; it must answer 200 with the token.`,
        },
      ],
    });
    shop.verificationFile = 'brand-auth-verification=someone-elses-token\n';
    const wrong = await stack.gql(VERIFY_STORE_ORIGIN, { input }, { token: owner.token });
    expect(wrong.body.data.verifyStoreOrigin.userErrors[0].message).toContain("does not contain this store's token");
    const pending = await stack.gql(STORE_ORIGINS, { id: store.id }, { token: owner.token });
    expect(pending.body.data.node).toMatchObject({ origins: [], originClaims: [{ verified: false, lastCheckError: expect.any(String) }] });

    const cachedBefore = await storefrontCredential(store.id);
    expect(cachedBefore).toBe(badge.credential);

    shop.verificationFile = `# brand-auth\n${claim.verificationToken}\n`;
    const verified = await stack.gql(VERIFY_STORE_ORIGIN, { input }, { token: owner.token });
    expect(verified.body.data.verifyStoreOrigin).toMatchObject({
      storeOrigin: { origin: shop.origin, verified: true, verifiedAt: expect.any(String), lastCheckError: null },
      userErrors: [],
    });

    // The public sees the verified origin at once; the storefront the re-issued credential once the
    // transparency log's checkpoint covers its grant.
    const publicView = await stack.gql(STORE_ORIGINS, { id: store.id });
    expect(publicView.body.data.node).toMatchObject({ origins: [shop.origin], originClaims: [] });
    const reissued = await newerStorefrontCredential(store.id, badge.credential);
    const before = credentialClaims(badge.credential);
    const after = credentialClaims(reissued);
    expect(after.origins).toEqual([shop.origin]);
    expect(after.jti).toBe(before.jti);
    expect(after.credentialStatus).toEqual(before.credentialStatus);
    const row = await stack.db.badge.findUniqueOrThrow({ where: { id: rowId(badge.id) } });
    expect(row.credential).toBe(reissued);

    expect((await stack.gql(VERIFY_CREDENTIAL, { c: reissued })).body.data.verifyBadgeCredential).toEqual({ valid: true, reason: null });
    // The credential that named no site is no longer the badge's.
    expect((await stack.gql(VERIFY_CREDENTIAL, { c: badge.credential })).body.data.verifyBadgeCredential.valid).toBe(false);

    const audit = await stack.db.auditEvent.findMany({ where: { entityId: rowId(store.id), action: { startsWith: 'store.origin' } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['store.origin_added', 'store.origin_verified']);
  });

  it('names the verified origins in badges issued afterwards', async () => {
    const store = await createStore(stack, owner);
    const shop = await site();
    await bindSite(stack, owner, store.id, shop);
    const brand = await verifiedBrand(stack, owner, reviewer);
    const issued = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
    const { credential } = await publishedBadge(stack, issued.body.data.requestOfficialBadge.badge.id);
    expect(credentialClaims(credential).origins).toEqual([shop.origin]);
  });

  it('removes an origin and re-issues the credentials without it', async () => {
    const { store } = await storeWithBadge();
    const [kept, dropped] = [await site(), await site()];
    await bindSite(stack, owner, store.id, kept);
    await bindSite(stack, owner, store.id, dropped);
    const origins = async () => credentialClaims(await storefrontCredential(store.id)).origins;
    await expect.poll(origins, { timeout: 30_000 }).toEqual([kept.origin, dropped.origin]);

    const removed = await stack.gql(REMOVE_STORE_ORIGIN, { input: { storeId: store.id, origin: dropped.origin } }, { token: owner.token });
    expect(removed.body.data.removeStoreOrigin).toEqual({ store: { id: store.id, origins: [kept.origin] }, userErrors: [] });
    await expect.poll(origins, { timeout: 30_000 }).toEqual([kept.origin]);

    const twice = await stack.gql(REMOVE_STORE_ORIGIN, { input: { storeId: store.id, origin: dropped.origin } }, { token: owner.token });
    expect(twice.body.data.removeStoreOrigin.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'origin'], message: `${dropped.origin} is not an origin of this store.` },
    ]);
  });

  it('tells another API process to drop its cached storefront answers', async () => {
    const { store, badge } = await storeWithBadge();
    await storefrontCredential(store.id);
    // Cached once no notification of the issuance is still on its way.
    await vi.waitFor(async () => {
      stack.sql.length = 0;
      await storefrontCredential(store.id);
      expect(stack.sql.length).toBe(0);
    }, SETTLES);
    const shop = await site();
    const replica = await startStack({ config: { STORE_ORIGIN_ALLOW_LOOPBACK: 'true' } });
    try {
      await bindSite(replica, owner, store.id, shop);
    } finally {
      await replica.close();
    }
    await newerStorefrontCredential(store.id, badge.credential);
    expect(credentialClaims(await storefrontCredential(store.id)).origins).toEqual([shop.origin]);
  });
});

describe('reading origins', () => {
  it('costs the storefront read one statement for the origins of all its stores', async () => {
    const stores = [await storeWithBadge(), await storeWithBadge(), await storeWithBadge()];
    for (const { store } of stores) await bindSite(stack, owner, store.id, await site());
    const query = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { badges { id store { id origins } } } }`;
    const statements = async (ids: string[]) => {
      stack.sql.length = 0;
      // Signed in, so the answer is computed, not served from the cache.
      const res = await stack.gql(query, { ids }, { token: owner.token });
      expect(res.body.errors).toBeUndefined();
      expect(
        res.body.data.storeBadges.every(
          (entry: { badges: Array<{ store: { origins: string[] } }> }) => entry.badges[0]!.store.origins.length === 1,
        ),
      ).toBe(true);
      return stack.sql.filter((sql) => /origin/i.test(sql)).length;
    };
    expect(await statements([stores[0]!.store.id])).toBe(1);
    expect(await statements(stores.map(({ store }) => store.id))).toBe(1);
  });
});

describe('what an origin may be', () => {
  it.each([
    ['https://10.0.0.8', 'This address is not on the public internet.'],
    ['https://169.254.169.254', 'This address is not on the public internet.'],
    ['http://shop.example', 'A store origin uses https://.'],
    ['https://shop.example/store', 'Give the origin alone (https://shop.example), without a path, query or fragment.'],
    ['shop.example', 'This is not a URL; give an origin like https://shop.example.'],
  ])('refuses %s', async (origin, message) => {
    const store = await createStore(stack, owner);
    const res = await stack.gql(ADD_STORE_ORIGIN, { input: { storeId: store.id, origin } }, { token: owner.token });
    expect(res.body.data.addStoreOrigin).toEqual({
      storeOrigin: null,
      userErrors: [{ code: 'INVALID', field: ['input', 'origin'], message }],
    });
  });

  it('refuses loopback origins when the service does not allow them (production)', async () => {
    const strict = await startStack();
    try {
      const store = await createStore(strict, owner);
      const shop = await site();
      const res = await strict.gql(ADD_STORE_ORIGIN, { input: { storeId: store.id, origin: shop.origin } }, { token: owner.token });
      expect(res.body.data.addStoreOrigin.userErrors).toEqual([
        { code: 'INVALID', field: ['input', 'origin'], message: 'A loopback address (localhost) is not a public web site.' },
      ]);
      expect(shop.requests).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it('does not follow a redirect to another site', async () => {
    const store = await createStore(stack, owner);
    const [shop, elsewhere] = [await site(), await site()];
    elsewhere.verificationFile = 'anything';
    shop.redirects.set('/.well-known/brand-auth-verification.txt', `${elsewhere.origin}/.well-known/brand-auth-verification.txt`);
    const input = { storeId: store.id, origin: shop.origin };
    const added = await stack.gql(ADD_STORE_ORIGIN, { input }, { token: owner.token });
    elsewhere.verificationFile = added.body.data.addStoreOrigin.storeOrigin.verificationToken;
    const res = await stack.gql(VERIFY_STORE_ORIGIN, { input }, { token: owner.token });
    expect(res.body.data.verifyStoreOrigin.userErrors).toEqual([
      {
        code: 'NOT_ALLOWED_IN_STATE',
        field: ['input', 'origin'],
        message: `${shop.origin} redirected to another site; the file must be served by the origin itself.`,
      },
    ]);
    expect(elsewhere.requests).toBe(0);
  });

  it('verifies an origin for one store only', async () => {
    const shop = await site();
    const first = await createStore(stack, owner);
    await bindSite(stack, owner, first.id, shop);
    const rival = await actor(stack, 'origin-rival', ['MERCHANT']);
    const second = await createStore(stack, rival);
    const res = await stack.gql(ADD_STORE_ORIGIN, { input: { storeId: second.id, origin: shop.origin } }, { token: rival.token });
    expect(res.body.data.addStoreOrigin.userErrors).toEqual([
      {
        code: 'CONFLICT',
        field: ['input', 'origin'],
        message: `${shop.origin} is verified for another store; it must be removed there before this store can verify it.`,
      },
    ]);
  });

  it('verifying an origin never claimed is NOT_FOUND', async () => {
    const store = await createStore(stack, owner);
    const res = await stack.gql(
      VERIFY_STORE_ORIGIN,
      { input: { storeId: store.id, origin: 'https://shop.example' } },
      { token: owner.token },
    );
    expect(res.body.data.verifyStoreOrigin.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'origin'], message: 'https://shop.example is not claimed by this store; add it first.' },
    ]);
  });
});

describe('who may', () => {
  it.each([
    ['addStoreOrigin', ADD_STORE_ORIGIN],
    ['verifyStoreOrigin', VERIFY_STORE_ORIGIN],
    ['removeStoreOrigin', REMOVE_STORE_ORIGIN],
  ])('%s: only the store owner', async (_name, mutation) => {
    const store = await createStore(stack, owner);
    const shop = await site();
    const input = { storeId: store.id, origin: shop.origin };
    const otherMerchant = await actor(stack, 'other-merchant', ['MERCHANT']);
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const admin = await actor(stack, 'admin', ['ADMIN']);
    const outcomes = [];
    for (const who of [null, otherMerchant, consumer, reviewer, admin])
      outcomes.push(code(await stack.gql(mutation, { input }, { token: who?.token })));
    expect(outcomes).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(shop.requests).toBe(0);
    expect(await stack.db.storeOrigin.count({ where: { storeId: rowId(store.id) } })).toBe(0);
  });

  it('shows claims and tokens to the owner, reviewers and admins; verified origins to everyone', async () => {
    const store = await createStore(stack, owner);
    const [verified, pending] = [await site(), await site()];
    await bindSite(stack, owner, store.id, verified);
    await stack.gql(ADD_STORE_ORIGIN, { input: { storeId: store.id, origin: pending.origin } }, { token: owner.token });
    const otherMerchant = await actor(stack, 'other-merchant', ['MERCHANT']);
    const admin = await actor(stack, 'admin', ['ADMIN']);
    for (const who of [owner, reviewer, admin]) {
      const res = await stack.gql(STORE_ORIGINS, { id: store.id }, { token: who.token });
      expect(res.body.data.node.originClaims.map((c: { origin: string }) => c.origin)).toEqual([verified.origin, pending.origin]);
      expect(res.body.data.node.origins).toEqual([verified.origin]);
    }
    for (const who of [null, otherMerchant]) {
      const res = await stack.gql(STORE_ORIGINS, { id: store.id }, { token: who?.token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.node).toMatchObject({ origins: [verified.origin], originClaims: [] });
      expect(JSON.stringify(res.body)).not.toContain('brand-auth-verification=');
    }
  });
});
