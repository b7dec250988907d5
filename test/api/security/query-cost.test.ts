import { randomUUID } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBrand } from '../../support/brand-operations.js';
import { rowId, startStack, unique, type Stack } from '../../support/stack.js';
import { actor, BADGE_FIELDS, createStore, REQUEST_OFFICIAL_BADGE, verifiedBrand, type Actor } from '../../support/store-operations.js';
import { REGISTER_CODES } from '../../support/product-code-operations.js';

// Documents that ask too much (too deep, too many aliases, directives or
// tokens, or too costly once list sizes and expensive fields are counted) are
// refused with HTTP 400 and LIMIT_EXCEEDED before anything runs, whatever
// they are named; what storefronts, the README and the other tests send passes.

let stack: Stack;
let owner: Actor;
let brand: { id: string; slug: string };
let code: string;

const storeId = () => Buffer.from(`Store:${randomUUID()}`).toString('base64');
const complaintId = () => Buffer.from(`Complaint:${randomUUID()}`).toString('base64');

beforeAll(async () => {
  // Default limits, the public rate limit included: the load test below must pass under it.
  stack = await startStack();
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  brand = await registerBrand(stack, owner.token, unique('costly'));
  code = `CODE-${randomUUID()}`;
  const registered = await stack.gql(REGISTER_CODES, { input: { brandId: brand.id, sku: 'SKU-1', codes: [code] } }, { token: owner.token });
  expect(registered.body.data.registerProductCodes).toEqual({ registered: 1, duplicates: 0, userErrors: [] });
});

afterAll(async () => {
  await stack?.close();
});

/** A refused document: HTTP 400, LIMIT_EXCEEDED naming the limit, and no data at all (nothing ran). */
function expectRefused(res: Awaited<ReturnType<Stack['gql']>>, limit: string) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    errors: expect.arrayContaining([
      {
        message: expect.any(String),
        extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit, max: expect.any(Number) }),
      },
    ]),
  });
}

const codeRow = () => stack.db.productCode.findFirstOrThrow({ where: { brandId: rowId(brand.id) } });
const checks = (count: number, value = code) =>
  Array.from({ length: count }, (_, i) => `a${i}: verifyProductCode(brandSlug: "${brand.slug}", code: "${value}") { result }`).join(' ');

/**
 * A query `depth` fields deep: `node`, then warning → complaint → warning …
 * on a complaint (one field per level, no lists, so only the depth grows), then `id`.
 */
function nested(depth: number, operation = 'query'): string {
  let selection = 'id';
  for (let level = depth - 1; level >= 2; level--) selection = `${level % 2 === 0 ? 'warning' : 'complaint'} { ${selection} }`;
  return `${operation} ($id: ID!) { node(id: $id) { ... on Complaint { ${selection} } } }`;
}

describe('the shape of a document', () => {
  it('allows 10 levels of nesting and refuses 11 and 300, whatever the operation is called', async () => {
    // A reviewer, who may look up any id: the answer is the plain "no such complaint".
    const reviewer = await stack.token(unique('depth-reviewer'), ['REVIEWER']);
    const ten = await stack.gql(nested(10), { id: complaintId() }, { token: reviewer });
    expect(ten.body).toEqual({ data: { node: null } });

    const eleven = await stack.gql(nested(11), { id: complaintId() });
    expectRefused(eleven, 'depth');
    expect(eleven.body.errors![0]!.message).toBe('Query depth limit of 10 exceeded, found 11.');

    expectRefused(await stack.gql(nested(300), { id: complaintId() }), 'depth');
    expectRefused(await stack.gql(nested(300, 'query IntrospectionQuery'), { id: complaintId() }), 'depth');
  });

  it('counts introspection like any other query: deep or wide is refused, a small one answers', async () => {
    const deep = await stack.gql(
      'query IntrospectionQuery { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }',
    );
    expectRefused(deep, 'depth');
    const wide = await stack.gql('{ __schema { types { name fields { name args { name type { name } } } } } }');
    expectRefused(wide, 'cost');
    // The whole schema is committed as SDL; the standard introspection query nests past the depth limit.
    expectRefused(await stack.gql(getIntrospectionQuery()), 'depth');

    const small = await stack.gql('{ __typename __type(name: "StoreStatus") { enumValues { name } } }');
    expect(small.body).toEqual({
      data: { __typename: 'Query', __type: { enumValues: [{ name: 'ACTIVE' }, { name: 'SUSPENDED' }] } },
    });
  });

  it('allows 15 aliases and refuses 16, __typename included; 2,000 are refused unread', async () => {
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expect((await stack.gql(aliases(15))).status).toBe(200);
    const sixteen = await stack.gql(aliases(16));
    expectRefused(sixteen, 'aliases');
    expect(sixteen.body.errors![0]!.message).toBe('Aliases limit of 15 exceeded, found 16.');
    // Parsing stops at the token limit, long before 2,000 aliases are read.
    expectRefused(await stack.gql(aliases(2000)), 'tokens');
  });

  it('allows 10 directives and refuses 11', async () => {
    const directives = (count: number) =>
      `{ ${Array.from({ length: count }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ')} }`;
    expect((await stack.gql(directives(10))).status).toBe(200);
    expectRefused(await stack.gql(directives(11)), 'directives');
  });

  it('refuses a document of more than 2,000 tokens', async () => {
    const tokens = (count: number) => `{ ${'__typename '.repeat(count - 2)}}`;
    expect((await stack.gql(tokens(2000))).status).toBe(200);
    expectRefused(await stack.gql(tokens(2001)), 'tokens');
  });
});

describe('the cost of a document', () => {
  it('refuses 5,000 product-code checks in one request, and 6, and counts none of them; one check then answers GENUINE', async () => {
    expectRefused(await stack.gql(`{ ${checks(5000)} }`), 'tokens');
    const six = await stack.gql(`{ ${checks(6)} }`);
    expectRefused(six, 'cost');
    expect(six.body.errors![0]!.extensions!.actual).toBeGreaterThan(10_000);
    expect(await codeRow()).toMatchObject({ verificationCount: 0, firstVerifiedAt: null });

    const one = await stack.gql(`{ ${checks(1)} }`);
    expect(one.body).toEqual({ data: { a0: { result: 'GENUINE' } } });
    expect(await codeRow()).toMatchObject({ verificationCount: 1 });
  });

  it('counts a list at the size its variables ask for: storeBadges with 10,000 ids is refused before it runs', async () => {
    const ids = Array.from({ length: 10_000 }, storeId);
    stack.sql.length = 0;
    const res = await stack.gql(`query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { ${BADGE_FIELDS} } } }`, { ids });
    expectRefused(res, 'cost');
    expect(stack.sql).toEqual([]);
  });

  it('measures a document again for each request whose variables can change its cost, after it once passed', async () => {
    const badges = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { id } } }`;
    expect((await stack.gql(badges, { ids: [storeId()] })).status).toBe(200);
    expectRefused(await stack.gql(badges, { ids: Array.from({ length: 10_000 }, storeId) }), 'cost');

    const optionalChecks = `query ($more: Boolean!) { a0: verifyProductCode(brandSlug: "${brand.slug}", code: "${code}") { result } ${Array.from(
      { length: 5 },
      (_, i) => `b${i}: verifyProductCode(brandSlug: "${brand.slug}", code: "${code}") @include(if: $more) { result }`,
    ).join(' ')} }`;
    const before = (await codeRow()).verificationCount;
    expect((await stack.gql(optionalChecks, { more: false })).body.data).toEqual({ a0: { result: expect.any(String) } });
    expectRefused(await stack.gql(optionalChecks, { more: true }), 'cost');
    expect((await codeRow()).verificationCount).toBe(before + 1);
  });

  it('multiplies nested lists and pages, and refuses them before the caller is even recorded', async () => {
    const subject = unique('nested');
    const token = await stack.token(subject, ['MERCHANT', 'REVIEWER']);
    const nestedLists = await stack.gql('{ me { stores { badges { store { badges { brand { name } } } } } } }', {}, { token });
    expectRefused(nestedLists, 'cost');
    const pages = await stack.gql(
      '{ complaints(first: 100) { edges { node { evidence { similarEvidence { id similarEvidence { id } } } } } } }',
      {},
      { token },
    );
    expectRefused(pages, 'cost');
    expect(await stack.db.actor.count({ where: { subject } })).toBe(0);
  });
});

describe('storefronts under the default limits', () => {
  it('50 concurrent anonymous storeBadges requests for 100 stores each all answer, without an error', async () => {
    const reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
    const verified = await verifiedBrand(stack, owner, reviewer);
    const stores = [await createStore(stack, owner), await createStore(stack, owner)];
    for (const store of stores) {
      const issued = await stack.gql(
        REQUEST_OFFICIAL_BADGE,
        { input: { storeId: store.id, brandId: verified.id } },
        { token: owner.token },
      );
      expect(issued.body.data.requestOfficialBadge.userErrors).toEqual([]);
    }
    const ids = [...stores.map((s) => s.id), ...Array.from({ length: 98 }, storeId)];
    const query = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { storeId badges { ${BADGE_FIELDS} } } }`;

    const answers = await Promise.all(Array.from({ length: 50 }, () => stack.gql(query, { ids })));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.storeBadges).toHaveLength(100);
      expect(res.body.data.storeBadges[0].badges).toMatchObject([{ kind: 'OFFICIAL_STORE', status: 'ACTIVE' }]);
    }
  });
});
