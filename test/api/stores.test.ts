import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/tokens.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import {
  CREATE_STORE,
  REQUEST_OFFICIAL_BADGE,
  REVOKE_BADGE,
  actor,
  createStore,
  verifiedBrand,
  type Actor,
} from '../support/store-operations.js';

let stack: Stack;
let owner: Actor;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack();
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const code = (res: Awaited<ReturnType<Stack['gql']>>) => res.body.errors?.[0]?.extensions?.code ?? 'OK';

describe('createStore', () => {
  it.each<[string, Role[] | null, string]>([
    ['anonymous', null, 'UNAUTHENTICATED'],
    ['a consumer', ['CONSUMER'], 'FORBIDDEN'],
    ['a brand member', ['BRAND'], 'FORBIDDEN'],
    ['a reviewer', ['REVIEWER'], 'FORBIDDEN'],
    ['a merchant', ['MERCHANT'], 'OK'],
  ])('by %s → %s', async (_who, roles, expected) => {
    const caller = roles ? await actor(stack, 'caller', roles) : null;
    const res = await stack.gql(CREATE_STORE, { input: { name: 'Corner Shop' } }, { token: caller?.token });
    expect(code(res)).toBe(expected);
    if (expected === 'OK')
      expect(res.body.data.createStore).toMatchObject({ store: { name: 'Corner Shop', status: 'ACTIVE' }, userErrors: [] });
  });

  it('refuses an empty or overlong name', async () => {
    const empty = await stack.gql(CREATE_STORE, { input: { name: '   ' } }, { token: owner.token });
    expect(empty.body.data.createStore).toEqual({
      store: null,
      userErrors: [{ code: 'INVALID', field: ['input', 'name'], message: 'A store name has 1 to 120 characters.' }],
    });
    const overlong = await stack.gql(CREATE_STORE, { input: { name: 'x'.repeat(121) } }, { token: owner.token });
    expect(overlong.body.data.createStore).toEqual({
      store: null,
      userErrors: [
        {
          code: 'LIMIT_EXCEEDED',
          field: ['input', 'name'],
          message: 'A store name has at most 120 characters; this one has 121 characters.',
        },
      ],
    });
  });
});

describe('badge mutations against every kind of caller', () => {
  it('requestOfficialBadge: only the store owner who is a member of the brand', async () => {
    const brand = await verifiedBrand(stack, owner, reviewer);
    const store = await createStore(stack, owner);
    const otherBrandMember = await actor(stack, 'other-brand', ['BRAND', 'MERCHANT']);
    const otherMerchant = await actor(stack, 'other-merchant', ['MERCHANT']);
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const input = { storeId: store.id, brandId: brand.id };
    const outcomes = await Promise.all(
      [undefined, consumer.token, otherMerchant.token, otherBrandMember.token, reviewer.token].map(async (token) =>
        code(await stack.gql(REQUEST_OFFICIAL_BADGE, { input }, { token })),
      ),
    );
    expect(outcomes).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(await stack.db.badge.count({ where: { storeId: rowId(store.id) } })).toBe(0);
    expect(code(await stack.gql(REQUEST_OFFICIAL_BADGE, { input }, { token: owner.token }))).toBe('OK');
  });

  it('revokeBadge: only reviewers and admins, with a reason', async () => {
    const brand = await verifiedBrand(stack, owner, reviewer);
    const store = await createStore(stack, owner);
    const issued = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
    const badgeId = issued.body.data.requestOfficialBadge.badge.id;
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const outcomes = await Promise.all(
      [undefined, consumer.token, owner.token].map(async (token) =>
        code(await stack.gql(REVOKE_BADGE, { input: { id: badgeId, reason: 'x' } }, { token })),
      ),
    );
    expect(outcomes).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN']);
    const noReason = await stack.gql(REVOKE_BADGE, { input: { id: badgeId, reason: ' ' } }, { token: reviewer.token });
    expect(noReason.body.data.revokeBadge.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'reason'], message: 'A revocation needs a reason.' },
    ]);
    expect((await stack.db.badge.findUniqueOrThrow({ where: { id: rowId(badgeId) } })).status).toBe('ACTIVE');
    const admin = await actor(stack, 'admin', ['ADMIN']);
    const byAdmin = await stack.gql(REVOKE_BADGE, { input: { id: badgeId, reason: 'Trademark dispute' } }, { token: admin.token });
    expect(byAdmin.body.data.revokeBadge.badge).toMatchObject({ status: 'REVOKED', revokedReason: 'Trademark dispute' });
  });
});
