import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { approvedLetter, letterInput, submitLetter } from '../support/authorization-chain.js';
import { BADGE_STATUS, REVIEW_LETTER, REVOKE_LETTER } from '../support/letter-operations.js';
import { BADGE_TIMELINE, LETTER_DETAILS, RESELLERS, type ResellerNode } from '../support/reseller-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

let stack: Stack;
let brandOwner: Actor;
let reviewer: Actor;
let distributor: Actor;
let merchant: Actor;
let brand: { id: string; slug: string };
const stores: Record<'direct' | 'distributor' | 'sub' | 'revoked' | 'suspended', { id: string; name: string }> = {} as never;
const letters: Record<keyof typeof stores, { id: string }> = {} as never;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  brandOwner = await actor(stack, 'brand-owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  distributor = await actor(stack, 'distributor', ['MERCHANT']);
  merchant = await actor(stack, 'merchant', ['MERCHANT']);
  brand = await verifiedBrand(stack, brandOwner, reviewer);

  stores.direct = await createStore(stack, merchant);
  stores.distributor = await createStore(stack, distributor);
  stores.sub = await createStore(stack, merchant);
  stores.revoked = await createStore(stack, merchant);
  stores.suspended = await createStore(stack, merchant);
  const byMerchant = { owner: merchant, reviewer };
  letters.direct = await approvedLetter(stack, byMerchant, stores.direct.id, brand.id);
  letters.distributor = await approvedLetter(stack, { owner: distributor, reviewer }, stores.distributor.id, brand.id);
  letters.sub = await approvedLetter(
    stack,
    { ...byMerchant, brandOwner, grantorOwner: distributor },
    stores.sub.id,
    brand.id,
    letters.distributor.id,
  );
  letters.revoked = await approvedLetter(stack, byMerchant, stores.revoked.id, brand.id);
  letters.suspended = await approvedLetter(stack, byMerchant, stores.suspended.id, brand.id);

  const revoked = await stack.gql(
    REVOKE_LETTER,
    { input: { id: letters.revoked.id, reason: 'Sold outside the agreed territory' } },
    { token: brandOwner.token },
  );
  expect(revoked.body.data.revokeAuthorization.letter.status).toBe('REVOKED');

  // A strike suspends the store's badge through its workflow.
  const suspendedBadge = await stack.db.badge.findUniqueOrThrow({ where: { letterId: rowId(letters.suspended.id) } });
  const { workflows } = stack.runtime.services;
  await stack.db.$transaction((tx) => workflows.suspendBadge(tx, suspendedBadge.id, new Date(Date.now() + 3_600_000), 'strike 2'));
  await vi.waitFor(
    async () => expect((await stack.db.badge.findUniqueOrThrow({ where: { id: suspendedBadge.id } })).status).toBe('SUSPENDED'),
    { timeout: 15_000, interval: 200 },
  );
});

afterAll(async () => {
  await stack?.close();
});

async function overview(token: string | undefined, variables: Record<string, unknown> = {}) {
  return stack.gql(RESELLERS, { slug: brand.slug, ...variables }, token ? { token } : {});
}

const nodesOf = (res: Awaited<ReturnType<typeof overview>>): ResellerNode[] =>
  res.body.data.brand.resellers.edges.map((edge: { node: ResellerNode }) => edge.node);

describe('Brand.resellers', () => {
  it('lists every authorized store with its letter chain, badge status and expiry, and counts them by status', async () => {
    const res = await overview(brandOwner.token, { first: 50 });
    expect(res.body.errors).toBeUndefined();
    const { resellers } = res.body.data.brand;
    expect(resellers.counts).toEqual({ total: 5, active: 3, suspended: 1, expired: 0, revoked: 1, expiringSoon: 0 });

    const nodes = nodesOf(res);
    // Ordered by store, one row per store.
    expect(nodes.map((n) => rowId(n.store.id))).toEqual(
      Object.values(stores)
        .map((s) => rowId(s.id))
        .sort(),
    );
    const row = (store: keyof typeof stores) => nodes.find((n) => n.store.id === stores[store].id)!;

    expect(row('direct')).toMatchObject({
      status: 'ACTIVE',
      expiresSoon: false,
      expiryReminderSentAt: null,
      letter: { letterId: letters.direct.id, chainDepth: 1, status: 'APPROVED', revokedReason: null },
      chain: [{ letterId: letters.direct.id, storeId: stores.direct.id, chainDepth: 1, status: 'APPROVED' }],
      badge: { kind: 'AUTHORIZED_STORE', status: 'ACTIVE', brand: { slug: brand.slug }, store: { id: stores.direct.id } },
    });
    expect(row('direct').expiresAt).toBe(row('direct').badge!.expiresAt);

    // From the brand down: the distributor's letter, then the store's own.
    expect(row('sub').chain).toEqual([
      {
        letterId: letters.distributor.id,
        storeId: stores.distributor.id,
        storeName: stores.distributor.name,
        chainDepth: 1,
        status: 'APPROVED',
      },
      { letterId: letters.sub.id, storeId: stores.sub.id, storeName: stores.sub.name, chainDepth: 2, status: 'APPROVED' },
    ]);
    expect(row('sub').status).toBe('ACTIVE');

    expect(row('revoked')).toMatchObject({
      status: 'REVOKED',
      letter: { status: 'REVOKED', revokedReason: 'Sold outside the agreed territory' },
      badge: { status: 'REVOKED' },
    });
    expect(row('suspended')).toMatchObject({ status: 'SUSPENDED', badge: { status: 'SUSPENDED' } });
  });

  it('filters by badge status and chain depth; the counts stay those of every reseller', async () => {
    const revoked = await overview(brandOwner.token, { filter: { status: ['REVOKED', 'SUSPENDED'] } });
    expect(
      nodesOf(revoked)
        .map((n) => n.store.id)
        .sort(),
    ).toEqual([stores.revoked.id, stores.suspended.id].sort());
    expect(revoked.body.data.brand.resellers.counts.total).toBe(5);

    const deep = await overview(brandOwner.token, { filter: { chainDepth: 2 } });
    expect(nodesOf(deep).map((n) => n.store.id)).toEqual([stores.sub.id]);

    const soon = await overview(brandOwner.token, { filter: { expiresSoon: true } });
    expect(nodesOf(soon)).toEqual([]);
  });

  it('pages forward by cursor with the same few SQL statements for any page size', async () => {
    const all: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await overview(brandOwner.token, { first: 2, after });
      const { edges, pageInfo } = res.body.data.brand.resellers;
      all.push(...edges.map((e: { node: ResellerNode }) => e.node.store.id));
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(all.sort()).toEqual(
      Object.values(stores)
        .map((s) => s.id)
        .sort(),
    );

    stack.sql.length = 0;
    await overview(brandOwner.token, { first: 1 });
    const forOne = stack.sql.length;
    stack.sql.length = 0;
    const full = await overview(brandOwner.token, { first: 50 });
    expect(nodesOf(full)).toHaveLength(5);
    expect(stack.sql.length).toBe(forOne);
    expect(stack.sql.length).toBeLessThanOrEqual(10);

    const backwards = await stack.gql(
      `query ($slug: String!) { brand(slug: $slug) { resellers(last: 2) { edges { cursor } } } }`,
      {
        slug: brand.slug,
      },
      { token: brandOwner.token },
    );
    expect(backwards.body.errors?.[0]?.extensions?.code).toBe('INVALID');
    const badCursor = await overview(brandOwner.token, { after: 'bm90LWEtY3Vyc29y' });
    expect(badCursor.body.errors?.[0]?.extensions?.code).toBe('INVALID');
  });

  it("is read by the brand's members, reviewers and admins only", async () => {
    const admin = await actor(stack, 'admin', ['ADMIN']);
    for (const allowed of [brandOwner, reviewer, admin]) {
      const res = await overview(allowed.token);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.brand.resellers.counts.total).toBe(5);
    }

    const anonymous = await overview(undefined);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.data?.brand?.resellers ?? null).toBeNull();

    const otherBrandOwner = await actor(stack, 'other-brand', ['BRAND']);
    for (const refused of [merchant, distributor, otherBrandOwner]) {
      const res = await overview(refused.token);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(res.body.data?.brand?.resellers ?? null).toBeNull();
      // The public part of the brand is still answered.
      expect(res.body.data.brand.id).toBe(brand.id);
    }
  });
});

describe('AuthorizationLetter', () => {
  it('shows its badge, the letters granted under it, and why it was revoked', async () => {
    const distributorsView = await stack.gql(LETTER_DETAILS, { id: letters.distributor.id }, { token: distributor.token });
    expect(distributorsView.body.errors).toBeUndefined();
    expect(distributorsView.body.data.node).toMatchObject({
      status: 'APPROVED',
      revokedReason: null,
      badge: { status: 'ACTIVE' },
      grantedLetters: [{ id: letters.sub.id, chainDepth: 2, status: 'APPROVED', store: { id: stores.sub.id } }],
    });

    const revoked = await stack.gql(LETTER_DETAILS, { id: letters.revoked.id }, { token: brandOwner.token });
    expect(revoked.body.data.node).toMatchObject({
      status: 'REVOKED',
      revokedReason: 'Sold outside the agreed territory',
      badge: { status: 'REVOKED' },
      grantedLetters: [],
    });

    // Someone who may not see the letter learns nothing of it.
    const stranger = await stack.gql(LETTER_DETAILS, { id: letters.distributor.id }, { token: merchant.token });
    expect(stranger.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('reads EXPIRED once its validity ended, on the letter, on the overview and off the storefront together', async () => {
    const store = await createStore(stack, merchant);
    const validUntil = new Date(Date.now() + 5_000);
    const submitted = await submitLetter(stack, merchant, letterInput(store.id, brand.id, { validUntil: validUntil.toISOString() }));
    const letterId = submitted.body.data.submitAuthorizationLetter.letter.id;
    const approved = await stack.gql(REVIEW_LETTER, { input: { id: letterId, approve: true } }, { token: reviewer.token });
    expect(approved.body.data.reviewAuthorizationLetter.letter.status).toBe('APPROVED');

    const rowOf = async () => nodesOf(await overview(brandOwner.token, { first: 50 })).find((n) => n.store.id === store.id)!;
    expect(await rowOf()).toMatchObject({ status: 'ACTIVE', expiresSoon: true, letter: { status: 'APPROVED' } });

    await expect.poll(async () => (await rowOf()).letter.status, { timeout: 20_000, interval: 250 }).toBe('EXPIRED');
    // Written in one transaction: whoever sees the letter expired sees the badge gone.
    expect(Date.now()).toBeGreaterThanOrEqual(validUntil.getTime());
    const row = await rowOf();
    expect(row).toMatchObject({ status: 'EXPIRED', expiresSoon: false, badge: { status: 'EXPIRED' } });
    const storefront = await stack.gql(BADGE_STATUS, { storeId: store.id });
    expect(storefront.body.data.badgeStatus).toEqual([]);
    const letter = await stack.gql(LETTER_DETAILS, { id: letterId }, { token: merchant.token });
    expect(letter.body.data.node).toMatchObject({ status: 'EXPIRED', badge: { status: 'EXPIRED' } });

    const timeline = await stack.gql(BADGE_TIMELINE, { id: row.badge!.id }, { token: brandOwner.token });
    expect(timeline.body.data.node.events.map((e: { type: string }) => e.type)).toEqual(['ISSUED', 'RENEWAL_REMINDER', 'EXPIRED']);
    const counts = (await overview(brandOwner.token)).body.data.brand.resellers.counts;
    expect(counts).toMatchObject({ total: 6, expired: 1 });
  });
});
