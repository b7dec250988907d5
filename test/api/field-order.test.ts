import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor, createStore, publishedBadge, verifiedBrand } from '../support/store-operations.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ worker: true });
});

afterAll(async () => {
  await stack?.close();
});

/** The keys of every object in a JSON text, in the order the text has them (JSON.parse keeps it for non-numeric keys). */
const keysInOrder = (value: unknown): string[][] => {
  if (Array.isArray(value)) return value.flatMap(keysInOrder);
  if (value === null || typeof value !== 'object') return [];
  return [Object.keys(value), ...Object.values(value).flatMap(keysInOrder)];
};

describe('response field order', () => {
  it('follows the query, also when an asynchronous field comes before synchronous ones', async () => {
    const owner = await actor(stack, 'order-owner', ['BRAND', 'MERCHANT']);
    const reviewer = await actor(stack, 'order-reviewer', ['REVIEWER']);
    const brand = await verifiedBrand(stack, owner, reviewer);
    const store = await createStore(stack, owner);
    // On a mutation's answer the badge comes without its brand and store: `label` and `store`
    // wait for them (asynchronous resolvers), while `credential`, `kind` and `status` answer at once.
    const query = `mutation ($input: RequestOfficialBadgeInput!) {
      requestOfficialBadge(input: $input) {
        badge { label credential kind store { name id } status brand { slug } id }
        userErrors { code }
      }
    }`;
    const res = await stack.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query, variables: { input: { storeId: store.id, brandId: brand.id } } }),
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(await res.text());
    expect(body.errors).toBeUndefined();
    expect(body.data.requestOfficialBadge.badge.id).toEqual(expect.any(String));
    expect(keysInOrder(body)).toEqual([
      ['data'],
      ['requestOfficialBadge'],
      ['badge', 'userErrors'],
      ['label', 'credential', 'kind', 'store', 'status', 'brand', 'id'],
      ['name', 'id'],
      ['slug'],
    ]);

    // The storefront read, answered from one statement, keeps the query's order too; read once the
    // credential is handed out, so both reads see the same badge.
    await publishedBadge(stack, body.data.requestOfficialBadge.badge.id);
    const storefront = () =>
      stack.http('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `query ($id: ID!) { storeBadges(storeIds: [$id]) { badges { label credential store { name } kind } storeId } }`,
          variables: { id: store.id },
        }),
      });
    // Read twice: the second answer may come from the storefront cache.
    const [first, second] = [await (await storefront()).text(), await (await storefront()).text()];
    expect(second).toBe(first);
    expect(keysInOrder(JSON.parse(first))).toEqual([
      ['data'],
      ['storeBadges'],
      ['badges', 'storeId'],
      ['label', 'credential', 'store', 'kind'],
      ['name'],
    ]);
  });
});
