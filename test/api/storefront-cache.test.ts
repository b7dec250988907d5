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
import { startStack, type Stack } from '../support/stack.js';
import { SETTLES } from '../support/settle.js';

let stack: Stack;
let owner: Actor;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  owner = await actor(stack, 'cache-owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'cache-reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const STORE_BADGES = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { ${BADGE_FIELDS} } } }`;

async function storeWithBadges(brands: number) {
  const store = await createStore(stack, owner);
  const badges: string[] = [];
  for (let i = 0; i < brands; i++) {
    const brand = await verifiedBrand(stack, owner, reviewer);
    const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
    badges.push(res.body.data.requestOfficialBadge.badge.id);
  }
  // Read once the log has handed out their credentials: that is itself a change that drops answers.
  for (const id of badges) await publishedBadge(stack, id);
  return { store, badges };
}

/** The ids of the badges an anonymous storefront read shows, and how many SQL statements it ran. */
async function storefront(storeIds: string[], token?: string) {
  stack.sql.length = 0;
  const res = await stack.gql(STORE_BADGES, { ids: storeIds }, { token });
  expect(res.body.errors).toBeUndefined();
  const ids = res.body.data.storeBadges.flatMap((entry: { badges: Array<{ id: string }> }) => entry.badges.map((b) => b.id));
  return { ids, statements: stack.sql.length, body: res.body };
}

describe('storefront answer cache', () => {
  it('answers a repeated anonymous read without the database, and shows a revocation on the very next read', async () => {
    const { store, badges } = await storeWithBadges(2);
    const first = await storefront([store.id]);
    expect(first.ids).toEqual(badges);
    expect(first.statements).toBe(1);
    // An answer computed while a notification of the issuance was on its way is not kept: polled until one is.
    await vi.waitFor(async () => expect((await storefront([store.id])).statements).toBe(0), SETTLES);
    expect((await storefront([store.id])).body).toEqual(first.body);

    const revoked = await stack.gql(REVOKE_BADGE, { input: { id: badges[0], reason: 'Counterfeits found' } }, { token: reviewer.token });
    expect(revoked.body.data.revokeBadge.userErrors).toEqual([]);
    const after = await storefront([store.id]);
    expect(after.ids).toEqual([badges[1]]);
  });

  it("keeps a store's answer when a badge of another store changes", async () => {
    const kept = await storeWithBadges(1);
    const other = await storeWithBadges(1);
    expect((await storefront([kept.store.id])).ids).toEqual(kept.badges);
    await vi.waitFor(async () => expect((await storefront([kept.store.id])).statements).toBe(0), SETTLES);

    const revoked = await stack.gql(REVOKE_BADGE, { input: { id: other.badges[0], reason: 'Grey market' } }, { token: reviewer.token });
    expect(revoked.body.data.revokeBadge.userErrors).toEqual([]);
    expect(await storefront([other.store.id])).toMatchObject({ ids: [], statements: 1 });
    expect(await storefront([kept.store.id])).toMatchObject({ ids: kept.badges, statements: 0 });
  });

  it('drops answers when another API process changes a badge, told by the database notification', async () => {
    const { store, badges } = await storeWithBadges(1);
    expect((await storefront([store.id])).ids).toEqual(badges);
    await vi.waitFor(async () => expect((await storefront([store.id])).statements).toBe(0), SETTLES);

    // Another replica of the API against the same database: its mutation does not run here.
    const replica = await startStack();
    try {
      const revoked = await replica.gql(REVOKE_BADGE, { input: { id: badges[0], reason: 'Grey market' } }, { token: reviewer.token });
      expect(revoked.body.data.revokeBadge.userErrors).toEqual([]);
    } finally {
      await replica.close();
    }
    // The notification travels after the commit: polled, not slept on.
    await vi.waitFor(async () => expect((await storefront([store.id])).ids).toEqual([]), { timeout: 5_000, interval: 20 });
  });

  it('shows a newly issued badge to a store whose cached list was empty', async () => {
    const store = await createStore(stack, owner);
    expect((await storefront([store.id])).ids).toEqual([]);
    await vi.waitFor(async () => expect((await storefront([store.id])).statements).toBe(0), SETTLES);
    const brand = await verifiedBrand(stack, owner, reviewer);
    const issued = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
    expect((await storefront([store.id])).ids).toEqual([issued.body.data.requestOfficialBadge.badge.id]);
  });

  it('never caches reads with a token, or reads that ask for more than the storefront fields', async () => {
    const { store } = await storeWithBadges(1);
    await storefront([store.id], owner.token);
    expect((await storefront([store.id], owner.token)).statements).toBeGreaterThan(0);

    const mixed = `query ($ids: [ID!]!, $slug: String!) { storeBadges(storeIds: $ids) { storeId } brand(slug: $slug) { id } }`;
    for (let i = 0; i < 2; i++) {
      stack.sql.length = 0;
      const res = await stack.gql(mixed, { ids: [store.id], slug: 'no-such-brand' });
      expect(res.body.errors).toBeUndefined();
      expect(stack.sql.length).toBeGreaterThan(0);
    }
  });
});
