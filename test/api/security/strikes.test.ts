import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { approvedLetter, letterInput, submitLetter } from '../../support/authorization-chain.js';
import {
  CLAIM_COMPLAINT,
  DECIDE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  addPhoto,
  fileComplaint,
  send,
} from '../../support/complaint-operations.js';
import { rowId, startStack, unique, type Stack } from '../../support/stack.js';
import {
  CREATE_STORE,
  REQUEST_OFFICIAL_BADGE,
  REVOKE_BADGE,
  actor,
  createStore,
  verifiedBrand,
  type Actor,
} from '../../support/store-operations.js';

// Strikes that stick. Strikes count per owner across their stores, so a new
// store starts no one afresh; strike 3 suspends every store of the owner and
// the owner can't open or run another; and revocation runs down the
// authorization chain, on strike 3 and on a reviewer's revokeBadge, as it does
// when a brand revokes a letter: no sub-distributor keeps a badge its grantor lost.

let stack: Stack;
let reviewer: Actor;
let brandOwner: Actor;
let brand: { id: string };

beforeAll(async () => {
  stack = await startStack({ worker: true });
  [reviewer, brandOwner] = await Promise.all([actor(stack, 'reviewer', ['REVIEWER']), actor(stack, 'brand-owner', ['BRAND'])]);
  brand = await verifiedBrand(stack, brandOwner, reviewer);
});

afterAll(async () => {
  await stack?.close();
});

async function step(mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(stack, mutation, who, input);
  expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
  expect(payload.userErrors).toEqual([]);
}

/** A consumer's complaint against the store, decided COUNTERFEIT; resolves once its warning exists. */
async function strike(storeId: string, owner: Actor) {
  const consumer = await actor(stack, 'consumer', ['CONSUMER']);
  const complaint = await fileComplaint(stack, consumer, storeId);
  expect((await addPhoto(stack, consumer, complaint.id)).body.data.addEvidence.userErrors).toEqual([]);
  await step(SUBMIT_COMPLAINT, consumer, { complaintId: complaint.id });
  await step(RESPOND_TO_COMPLAINT, owner, { complaintId: complaint.id, statement: 'Our stock comes from the brand.' });
  await step(CLAIM_COMPLAINT, reviewer, { complaintId: complaint.id });
  await step(DECIDE_COMPLAINT, reviewer, { complaintId: complaint.id, verdict: 'COUNTERFEIT', note: 'The logo does not match.' });
  return vi.waitFor(
    async () => {
      const warning = await stack.db.warning.findUnique({ where: { complaintId: rowId(complaint.id) } });
      if (!warning) throw new Error('no warning yet');
      return warning;
    },
    { timeout: 20_000, interval: 100 },
  );
}

const letterRow = (id: string) => stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(id) } });
const badgeOfLetter = (id: string) => stack.db.badge.findUniqueOrThrow({ where: { letterId: rowId(id) } });
const storeRow = (id: string) => stack.db.store.findUniqueOrThrow({ where: { id: rowId(id) } });

/** What a storefront shows for the store: its current (ACTIVE or SUSPENDED) badges. */
async function storefrontBadges(storeId: string) {
  const res = await stack.gql(`query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { badges { kind status } } }`, { ids: [storeId] });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.storeBadges[0].badges as Array<{ kind: string; status: string }>;
}

/** A store holding a depth-1 letter of the brand, and another merchant's store holding a depth-2 letter granted under it. */
async function chain(owner: Actor) {
  const store = await createStore(stack, owner);
  const letter = await approvedLetter(stack, { owner, reviewer }, store.id, brand.id);
  const subOwner = await actor(stack, 'sub-distributor', ['MERCHANT']);
  const subStore = await createStore(stack, subOwner);
  const subLetter = await approvedLetter(
    stack,
    { owner: subOwner, reviewer, brandOwner, grantorOwner: owner },
    subStore.id,
    brand.id,
    letter.id,
  );
  expect(subLetter.chainDepth).toBe(2);
  expect((await badgeOfLetter(subLetter.id)).status).toBe('ACTIVE');
  return { store, letter, subOwner, subStore, subLetter };
}

describe('strike 3', () => {
  it('counts across the owner’s stores, suspends them all, and revokes the letters down the chain with their badges', async () => {
    const owner = await actor(stack, 'merchant', ['MERCHANT']);
    const { store: first, letter, subStore, subLetter } = await chain(owner);

    expect((await strike(first.id, owner)).strikeNumber).toBe(1);
    expect((await strike(first.id, owner)).strikeNumber).toBe(2);
    // Two strikes in, the owner opens a fresh store; its first warning is the owner's third.
    const second = await createStore(stack, owner);
    expect((await strike(second.id, owner)).strikeNumber).toBe(3);

    await vi.waitFor(async () => expect((await storeRow(second.id)).status).toBe('SUSPENDED'), { timeout: 20_000, interval: 100 });
    expect(await storeRow(first.id)).toMatchObject({ status: 'SUSPENDED', suspendedReason: expect.stringMatching(/^strike 3/) });
    expect(await letterRow(letter.id)).toMatchObject({ status: 'REVOKED', revokedReason: expect.stringMatching(/^strike 3/) });
    expect((await badgeOfLetter(letter.id)).status).toBe('REVOKED');
    // The sub-distributor's authority came from the suspended owner's letter: it goes too.
    expect(await letterRow(subLetter.id)).toMatchObject({ status: 'REVOKED', revokedReason: expect.stringMatching(/^strike 3/) });
    expect(await badgeOfLetter(subLetter.id)).toMatchObject({
      status: 'REVOKED',
      revokedReason: expect.stringMatching(/^authorization revoked: strike 3/),
    });
    expect(await storefrontBadges(subStore.id)).toEqual([]);
    expect(
      await stack.db.auditEvent.findMany({ where: { entityId: rowId(subLetter.id), action: 'letter.revoked' }, select: { reason: true } }),
    ).toEqual([{ reason: expect.stringMatching(/^grantor letter revoked: strike 3/) }]);
  }, 120_000);

  it('leaves the owner unable to open or run a store: FORBIDDEN, and nothing written', async () => {
    const owner = await actor(stack, 'merchant', ['MERCHANT']);
    const store = await createStore(stack, owner);
    for (let i = 0; i < 3; i++) await strike(store.id, owner);
    await vi.waitFor(async () => expect((await storeRow(store.id)).status).toBe('SUSPENDED'), { timeout: 20_000, interval: 100 });

    const storesBefore = await stack.db.store.count({ where: { owner: { subject: owner.subject } } });
    const auditBefore = await stack.db.auditEvent.count({ where: { actor: { subject: owner.subject } } });
    const res = await stack.gql(CREATE_STORE, { input: { name: unique('Fresh Start') } }, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: expect.stringMatching(/is suspended \(strike 3 .*\); while it is, you can't open or run another store\.$/),
          locations: expect.any(Array),
          path: ['createStore'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(await stack.db.store.count({ where: { owner: { subject: owner.subject } } })).toBe(storesBefore);

    // Its suspended store can't be used either: no badge, no letter.
    const badge = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
    expect(badge.body.data.requestOfficialBadge.userErrors).toEqual([
      { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'storeId'], message: 'The store is suspended.' },
    ]);
    const letter = await submitLetter(stack, owner, letterInput(store.id, brand.id));
    expect(letter.body.data.submitAuthorizationLetter.userErrors).toEqual([
      { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'storeId'], message: 'The store is suspended.' },
    ]);
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(store.id) } })).toBe(0);
    expect(await stack.db.badge.count({ where: { storeId: rowId(store.id) } })).toBe(0);
    expect(await stack.db.auditEvent.count({ where: { actor: { subject: owner.subject } } })).toBe(auditBefore);
  }, 120_000);
});

describe('revokeBadge', () => {
  it('revokes the badge’s letter, every letter granted under it and their badges, and no new grant hangs on it', async () => {
    const owner = await actor(stack, 'merchant', ['MERCHANT']);
    const { store, letter, subStore, subLetter } = await chain(owner);
    const badge = await badgeOfLetter(letter.id);
    const badgeId = (await stack.gql(`query ($id: ID!) { node(id: $id) { ... on Store { badges { id } } } }`, { id: store.id })).body.data
      .node.badges[0].id as string;
    expect(rowId(badgeId)).toBe(badge.id);

    const res = await stack.gql(
      REVOKE_BADGE,
      { input: { id: badgeId, reason: 'Sells outside the licensed territory' } },
      { token: reviewer.token },
    );
    expect(res.body.data.revokeBadge).toMatchObject({ badge: { status: 'REVOKED' }, userErrors: [] });

    expect(await letterRow(letter.id)).toMatchObject({
      status: 'REVOKED',
      revokedReason: 'badge revoked: Sells outside the licensed territory',
    });
    expect(await letterRow(subLetter.id)).toMatchObject({ status: 'REVOKED' });
    expect(await badgeOfLetter(subLetter.id)).toMatchObject({
      status: 'REVOKED',
      revokedReason: 'authorization revoked: badge revoked: Sells outside the licensed territory',
    });
    expect(await storefrontBadges(subStore.id)).toEqual([]);

    // The revoked letter grants nothing more.
    const latecomer = await actor(stack, 'latecomer', ['MERCHANT']);
    const lateStore = await createStore(stack, latecomer);
    const late = await submitLetter(
      stack,
      latecomer,
      letterInput(lateStore.id, brand.id, { grantorLetterId: letter.id, validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() }),
    );
    // A letter the latecomer can't see is answered like an unknown one (information-leaks.test.ts), so: refused, nothing said of it.
    expect(late.body.data?.submitAuthorizationLetter ?? null).toBeNull();
    expect(late.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(lateStore.id) } })).toBe(0);

    // Its own holder, who may see it, is told why.
    const ownSecondStore = await createStore(stack, owner);
    const own = await submitLetter(
      stack,
      owner,
      letterInput(ownSecondStore.id, brand.id, {
        grantorLetterId: letter.id,
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      }),
    );
    expect(own.body.data.submitAuthorizationLetter).toEqual({
      letter: null,
      userErrors: [
        { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'grantorLetterId'], message: "The grantor's letter is REVOKED, not APPROVED." },
      ],
    });
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(ownSecondStore.id) } })).toBe(0);
  });
});
