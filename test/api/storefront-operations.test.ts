import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
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
let operations: Array<{ name: string; sha256Hash: string; document: string }>;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  owner = await actor(stack, 'persisted-owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'persisted-reviewer', ['REVIEWER']);
  operations = ((await (await stack.http('/storefront-operations.json')).json()) as { operations: typeof operations }).operations;
});

afterAll(async () => {
  await stack?.close();
});

const hashOf = (name: string) => operations.find((o) => o.name === name)!.sha256Hash;

/** A GET the way a storefront or a CDN sends it: no body, no CSRF header, no token unless given. */
function persistedGet(hash: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const params = new URLSearchParams({
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
    variables: JSON.stringify(variables),
  });
  return stack.http(`/graphql?${params}`, { headers: { accept: 'application/json', ...headers } });
}

async function storeWithBadge() {
  const store = await createStore(stack, owner);
  const brand = await verifiedBrand(stack, owner, reviewer);
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  const badgeId = res.body.data.requestOfficialBadge.badge.id as string;
  // Read once the log has handed out its credential: that is itself a change to the answer.
  await publishedBadge(stack, badgeId);
  return { store, brand, badgeId };
}

describe('persisted storefront reads', () => {
  it('lists each operation with the SHA-256 of its exact text', async () => {
    expect(operations.map((o) => o.name).sort()).toEqual(['BadgeStatus', 'StoreBadges']);
    for (const o of operations) expect(o.sha256Hash).toBe(createHash('sha256').update(o.document).digest('hex'));
  });

  it('answers a GET by hash with what the same query by POST answers, marked for shared caches', async () => {
    const { store, badgeId } = await storeWithBadge();
    const res = await persistedGet(hashOf('StoreBadges'), { storeIds: [store.id] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.storeBadges[0].badges.map((b: { id: string }) => b.id)).toEqual([badgeId]);
    const text = operations.find((o) => o.name === 'StoreBadges')!.document;
    expect((await stack.gql(text, { storeIds: [store.id] })).body).toEqual(body);

    expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(res.headers.get('vary')).toMatch(/authorization/i);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');

    const status = await persistedGet(hashOf('BadgeStatus'), { storeId: store.id });
    expect(status.status).toBe(200);
    expect((await status.json()).data.badgeStatus.map((b: { id: string }) => b.id)).toEqual([badgeId]);
  });

  it('revalidates with the ETag: 304 while nothing changed, the new answer once a badge is revoked', async () => {
    const { store, badgeId } = await storeWithBadge();
    const vars = { storeIds: [store.id] };
    // The first answer may be computed while the issuance's notification is on its way, and is then not kept.
    const etag = await vi.waitFor(async () => {
      const first = await persistedGet(hashOf('StoreBadges'), vars);
      const tag = first.headers.get('etag');
      expect(tag).toBeTruthy();
      expect((await persistedGet(hashOf('StoreBadges'), vars, { 'if-none-match': tag! })).status).toBe(304);
      return tag!;
    }, SETTLES);
    const unchanged = await persistedGet(hashOf('StoreBadges'), vars, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');

    const revoked = await stack.gql(REVOKE_BADGE, { input: { id: badgeId, reason: 'Counterfeits found' } }, { token: reviewer.token });
    expect(revoked.body.data.revokeBadge.userErrors).toEqual([]);
    const after = await persistedGet(hashOf('StoreBadges'), vars, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect((await after.json()).data.storeBadges[0].badges).toEqual([]);
  });

  it('refuses a hash that names no storefront operation, and a GET of free text without the CSRF header', async () => {
    const unknown = await persistedGet('0'.repeat(64), { storeIds: [] });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const text = operations.find((o) => o.name === 'StoreBadges')!.document;
    const params = new URLSearchParams({ query: text, variables: JSON.stringify({ storeIds: [] }) });
    const freeText = await stack.http(`/graphql?${params}`, { headers: { accept: 'application/json' } });
    expect(freeText.status).toBe(403);
    expect((await freeText.json()).errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');

    const nothing = await stack.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await nothing.json()).errors[0].message).toBe('Must provide query string.');
  });

  it('marks no answer to a signed-in caller as shareable', async () => {
    const { store } = await storeWithBadge();
    const res = await persistedGet(hashOf('StoreBadges'), { storeIds: [store.id] }, { authorization: `Bearer ${owner.token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBeNull();
  });
});

describe('without the storefront cache', () => {
  it('answers every read from the database when STOREFRONT_CACHE_SECONDS is 0', async () => {
    const uncached = await startStack({ config: { STOREFRONT_CACHE_SECONDS: '0' } });
    try {
      const { store, badgeId } = await storeWithBadge();
      for (let i = 0; i < 2; i++) {
        uncached.sql.length = 0;
        const res = await uncached.gql('query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { badges { id } } }', { ids: [store.id] });
        expect(res.body.data.storeBadges[0].badges).toEqual([{ id: badgeId }]);
        expect(uncached.sql).toHaveLength(1);
      }
    } finally {
      await uncached.close();
    }
  });
});
