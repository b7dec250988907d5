import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterInput, submitLetter } from '../support/authorization-chain.js';
import {
  ANSWER_SUB_LICENSE,
  AUTHORIZE_STORE,
  CONFIRM_GRANT,
  REVIEW_GRANT,
  REVOKE_GRANT,
  SET_SUB_LICENSING,
  STOREFRONT_BADGES,
  SUB_LETTERS,
} from '../support/letter-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

let stack: Stack;
let reviewer: Actor;
let consumer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  [reviewer, consumer] = await Promise.all([actor(stack, 'reviewer', ['REVIEWER']), actor(stack, 'consumer', ['CONSUMER'])]);
});

afterAll(async () => {
  await stack?.close();
});

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

interface TestBrand {
  id: string;
  owner: Actor;
}
interface TestStore {
  id: string;
  owner: Actor;
}
interface Letter {
  id: string;
  status: string;
  grantorConfirmation: string | null;
  allowsSubLicensing: boolean;
}

async function newBrand(): Promise<TestBrand> {
  const owner = await actor(stack, 'brand-owner', ['BRAND']);
  return { ...(await verifiedBrand(stack, owner, reviewer)), owner };
}

async function newStore(): Promise<TestStore> {
  const owner = await actor(stack, 'merchant', ['MERCHANT']);
  return { ...(await createStore(stack, owner)), owner };
}

/** A depth-1 letter the brand issued online, sub-licensing as asked. */
async function distributorLetter(brand: TestBrand, store: TestStore, allowSubLicensing: boolean): Promise<Letter> {
  const input = {
    brandId: brand.id,
    storeId: store.id,
    scope: 'All products',
    validFrom: inDays(0),
    validUntil: inDays(200),
    allowSubLicensing,
  };
  const res = await stack.gql(AUTHORIZE_STORE, { input }, { token: brand.owner.token });
  const letter = res.body.data?.authorizeStore.letter;
  if (!letter) throw new Error(`authorizeStore failed: ${JSON.stringify(res.body)}`);
  return letter;
}

async function subLetter(brand: TestBrand, reseller: TestStore, grantor: Letter): Promise<Letter> {
  const res = await submitLetter(
    stack,
    reseller.owner,
    letterInput(reseller.id, brand.id, { grantorLetterId: grantor.id, validUntil: inDays(100) }),
  );
  const letter = res.body.data?.submitAuthorizationLetter.letter;
  if (!letter) throw new Error(`submitAuthorizationLetter failed: ${JSON.stringify(res.body)}`);
  return letter;
}

const answer = (letterId: string, who: Actor | null, confirm: boolean, note?: string) =>
  stack.gql(ANSWER_SUB_LICENSE, { input: { letterId, confirm, note } }, who ? { token: who.token } : {});
const review = (letterId: string) => stack.gql(REVIEW_GRANT, { input: { id: letterId, approve: true } }, { token: reviewer.token });
const revoke = (letterId: string, who: Actor | null) =>
  stack.gql(REVOKE_GRANT, { input: { id: letterId, reason: 'No longer sells for us' } }, who ? { token: who.token } : {});

async function badgesOf(store: TestStore) {
  const res = await stack.gql(STOREFRONT_BADGES, { ids: [store.id] });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.storeBadges[0].badges as Array<{ kind: string; status: string }>;
}

const payloadError = (mutation: string, code: string, field: string, message: unknown = expect.any(String)) => ({
  data: { [mutation]: { letter: null, userErrors: [{ code, field: ['input', field], message }] } },
});
const forbidden = (mutation: string) => ({
  data: null,
  errors: [expect.objectContaining({ path: [mutation], extensions: { code: 'FORBIDDEN' } })],
});
const unauthenticated = (mutation: string) => ({
  data: null,
  errors: [expect.objectContaining({ path: [mutation], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })],
});

describe('a sub-letter needs the brand to allow sub-licensing', () => {
  it('is refused with a userError when the grantor may not sub-license, the default for a new grant', async () => {
    const brand = await newBrand();
    const distributor = await newStore();
    const grant = await distributorLetter(brand, distributor, false);
    expect(grant.allowsSubLicensing).toBe(false);
    const reseller = await newStore();

    const res = await submitLetter(
      stack,
      reseller.owner,
      letterInput(reseller.id, brand.id, { grantorLetterId: grant.id, validUntil: inDays(100) }),
    );
    expect(res.body).toEqual(
      payloadError(
        'submitAuthorizationLetter',
        'NOT_ALLOWED_IN_STATE',
        'grantorLetterId',
        "The brand has not allowed this distributor to sub-license: its letter can't grant yours.",
      ),
    );
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(reseller.id) } })).toBe(0);
  });

  it('is allowed by the brand as it confirms an uploaded letter, or later with setSubLicensing, by its members only', async () => {
    const brand = await newBrand();
    const other = await newBrand();
    const distributor = await newStore();
    const uploaded = (await submitLetter(stack, distributor.owner, letterInput(distributor.id, brand.id))).body.data
      .submitAuthorizationLetter.letter;

    const deniedWithLicence = await stack.gql(
      CONFIRM_GRANT,
      { input: { letterId: uploaded.id, confirm: false, allowSubLicensing: true } },
      { token: brand.owner.token },
    );
    expect(deniedWithLicence.body).toEqual(
      payloadError('confirmAuthorization', 'INVALID', 'allowSubLicensing', 'Sub-licensing is allowed with a confirmation, not a denial.'),
    );
    const confirmed = await stack.gql(
      CONFIRM_GRANT,
      { input: { letterId: uploaded.id, confirm: true, allowSubLicensing: true } },
      { token: brand.owner.token },
    );
    expect(confirmed.body.data.confirmAuthorization).toMatchObject({
      letter: { brandConfirmation: 'CONFIRMED', allowsSubLicensing: true, origin: 'UPLOADED', grantorConfirmation: null },
      userErrors: [],
    });

    const set = (allowed: boolean, who: Actor | null, letterId = uploaded.id) =>
      stack.gql(SET_SUB_LICENSING, { input: { letterId, allowed } }, who ? { token: who.token } : {});
    for (const who of [other.owner, distributor.owner, reviewer, consumer])
      expect((await set(false, who)).body).toEqual(forbidden('setSubLicensing'));
    expect((await set(false, null)).body).toEqual(unauthenticated('setSubLicensing'));
    expect((await set(false, brand.owner)).body.data.setSubLicensing).toMatchObject({
      letter: { allowsSubLicensing: false },
      userErrors: [],
    });
    expect((await set(true, brand.owner)).body.data.setSubLicensing).toMatchObject({
      letter: { allowsSubLicensing: true },
      userErrors: [],
    });
    const audit = await stack.db.auditEvent.findMany({
      where: { entityId: rowId(uploaded.id) },
      orderBy: { at: 'asc' },
      select: { action: true },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'letter.submitted',
      'letter.confirmed_by_brand',
      'letter.sub_licensing_withdrawn',
      'letter.sub_licensing_allowed',
    ]);

    // A sub-letter can't grant further.
    await stack.gql(REVIEW_GRANT, { input: { id: uploaded.id, approve: true } }, { token: reviewer.token });
    const reseller = await newStore();
    const sub = await subLetter(brand, reseller, uploaded as Letter);
    expect((await set(true, brand.owner, sub.id)).body).toEqual(
      payloadError('setSubLicensing', 'INVALID', 'letterId', "Authorization chains stop at depth 2: a sub-letter can't grant further."),
    );
  });
});

describe("the granting store's consent", () => {
  let brand: TestBrand;
  let distributor: TestStore;
  let grant: Letter;

  beforeAll(async () => {
    brand = await newBrand();
    distributor = await newStore();
    grant = await distributorLetter(brand, distributor, true);
  });

  it('comes before the review: no badge until the granting store confirms and a reviewer approves', async () => {
    const reseller = await newStore();
    const sub = await subLetter(brand, reseller, grant);
    expect(sub).toMatchObject({ status: 'SUBMITTED', chainDepth: 2 });
    const row = await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(sub.id) } });
    expect(row).toMatchObject({ chainDepth: 2, grantorConfirmation: 'PENDING' });

    // The granting store finds it among the letters granted under its own.
    const listed = await stack.gql(SUB_LETTERS, { id: grant.id }, { token: distributor.owner.token });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.node.subLetters.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      id: sub.id,
      status: 'SUBMITTED',
      grantorConfirmation: 'PENDING',
      store: { id: reseller.id },
    });

    expect((await review(sub.id)).body).toEqual(
      payloadError(
        'reviewAuthorizationLetter',
        'NOT_ALLOWED_IN_STATE',
        'id',
        'The granting store has not confirmed this sub-letter yet; it is approved only after the granting store confirms it.',
      ),
    );
    expect(await badgesOf(reseller)).toEqual([]);

    const confirmed = await answer(sub.id, distributor.owner, true, 'Our reseller in Porto');
    expect(confirmed.body.data.answerSubLicense).toMatchObject({
      letter: { id: sub.id, status: 'SUBMITTED', grantorConfirmation: 'CONFIRMED', grantorNote: 'Our reseller in Porto' },
      userErrors: [],
    });
    expect(await badgesOf(reseller)).toEqual([]);

    expect((await review(sub.id)).body.data.reviewAuthorizationLetter).toMatchObject({ letter: { status: 'APPROVED' }, userErrors: [] });
    expect(await badgesOf(reseller)).toEqual([expect.objectContaining({ kind: 'AUTHORIZED_STORE', status: 'ACTIVE' })]);

    const again = await answer(sub.id, distributor.owner, false, 'Changed our mind');
    expect(again.body).toEqual(
      payloadError('answerSubLicense', 'NOT_ALLOWED_IN_STATE', 'letterId', 'Your store already confirmed this sub-letter.'),
    );
    const audit = await stack.db.auditEvent.findMany({
      where: { entityId: rowId(sub.id) },
      orderBy: { at: 'asc' },
      select: { action: true },
    });
    expect(audit.map((a) => a.action)).toEqual(['letter.submitted', 'letter.confirmed_by_grantor', 'letter.approved']);
  });

  it('is refused with a reason: the sub-letter is rejected and can no longer be approved', async () => {
    const reseller = await newStore();
    const sub = await subLetter(brand, reseller, grant);

    expect((await answer(sub.id, distributor.owner, false)).body).toEqual(
      payloadError('answerSubLicense', 'INVALID', 'note', 'A refusal needs a note telling the reseller why.'),
    );
    const refused = await answer(sub.id, distributor.owner, false, 'We have no agreement with this store');
    expect(refused.body.data.answerSubLicense).toEqual({
      letter: expect.objectContaining({
        status: 'REJECTED',
        grantorConfirmation: 'DENIED',
        grantorNote: 'We have no agreement with this store',
        reviewNote: 'The granting store refused: We have no agreement with this store',
      }),
      userErrors: [],
    });
    expect((await review(sub.id)).body.data.reviewAuthorizationLetter.userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_ALLOWED_IN_STATE', message: 'The letter is REJECTED; only SUBMITTED letters are reviewed.' }),
    ]);
    expect((await answer(sub.id, distributor.owner, true)).body).toEqual(
      payloadError('answerSubLicense', 'NOT_ALLOWED_IN_STATE', 'letterId', 'Your store already refused this sub-letter.'),
    );
    expect(await badgesOf(reseller)).toEqual([]);
  });

  it('is given by the granting store alone', async () => {
    const reseller = await newStore();
    const sub = await subLetter(brand, reseller, grant);
    const otherDistributor = await newStore();
    for (const who of [reseller.owner, brand.owner, reviewer, consumer, otherDistributor.owner]) {
      expect((await answer(sub.id, who, true)).body).toEqual(forbidden('answerSubLicense'));
    }
    expect((await answer(sub.id, null, true)).body).toEqual(unauthenticated('answerSubLicense'));
    // A letter the brand granted has no granting store to answer it.
    expect((await answer(grant.id, distributor.owner, true)).body).toEqual(forbidden('answerSubLicense'));
    expect((await answer(distributor.id, distributor.owner, true)).body).toEqual(
      payloadError('answerSubLicense', 'INVALID', 'letterId', 'This is not a valid AuthorizationLetter id.'),
    );
    expect(await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(sub.id) } })).toMatchObject({
      grantorConfirmation: 'PENDING',
      status: 'SUBMITTED',
    });
  });

  it('stops counting once the brand withdraws sub-licensing: neither confirmation nor approval goes through', async () => {
    const ownBrand = await newBrand();
    const ownDistributor = await newStore();
    const ownGrant = await distributorLetter(ownBrand, ownDistributor, true);
    const [confirmedFirst, pending] = [await newStore(), await newStore()];
    const confirmedSub = await subLetter(ownBrand, confirmedFirst, ownGrant);
    const pendingSub = await subLetter(ownBrand, pending, ownGrant);
    expect((await answer(confirmedSub.id, ownDistributor.owner, true)).body.data.answerSubLicense.userErrors).toEqual([]);

    const withdrawn = await stack.gql(
      SET_SUB_LICENSING,
      { input: { letterId: ownGrant.id, allowed: false } },
      { token: ownBrand.owner.token },
    );
    expect(withdrawn.body.data.setSubLicensing.userErrors).toEqual([]);

    expect((await answer(pendingSub.id, ownDistributor.owner, true)).body).toEqual(
      payloadError('answerSubLicense', 'NOT_ALLOWED_IN_STATE', 'letterId', 'The brand has not allowed your store to sub-license.'),
    );
    expect((await review(confirmedSub.id)).body).toEqual(
      payloadError(
        'reviewAuthorizationLetter',
        'NOT_ALLOWED_IN_STATE',
        'id',
        'The brand no longer allows the granting store to sub-license.',
      ),
    );
    expect(await badgesOf(confirmedFirst)).toEqual([]);
  });
});

describe('the granting store revokes its sub-resellers', () => {
  it("revokes its own sub-letters (the badge goes), but not its own letter nor another distributor's sub-letters", async () => {
    const brand = await newBrand();
    const [distributor, otherDistributor, reseller, otherReseller] = await Promise.all([newStore(), newStore(), newStore(), newStore()]);
    const grant = await distributorLetter(brand, distributor, true);
    const otherGrant = await distributorLetter(brand, otherDistributor, true);
    const sub = await subLetter(brand, reseller, grant);
    const otherSub = await subLetter(brand, otherReseller, otherGrant);
    await answer(sub.id, distributor.owner, true);
    expect((await review(sub.id)).body.data.reviewAuthorizationLetter.letter.status).toBe('APPROVED');
    expect(await badgesOf(reseller)).toHaveLength(1);

    expect((await revoke(grant.id, distributor.owner)).body).toEqual(forbidden('revokeAuthorization'));
    expect((await revoke(otherSub.id, distributor.owner)).body).toEqual(forbidden('revokeAuthorization'));
    for (const who of [reseller.owner, consumer, reviewer])
      expect((await revoke(sub.id, who)).body).toEqual(forbidden('revokeAuthorization'));
    expect((await revoke(sub.id, null)).body).toEqual(unauthenticated('revokeAuthorization'));

    const revoked = await revoke(sub.id, distributor.owner);
    expect(revoked.body.data.revokeAuthorization).toMatchObject({ letter: { id: sub.id, status: 'REVOKED' }, userErrors: [] });
    await expect.poll(() => badgesOf(reseller)).toEqual([]);
    expect(await badgesOf(distributor)).toHaveLength(1);
    expect(await stack.db.auditEvent.findFirst({ where: { entityId: rowId(sub.id), action: 'letter.revoked' } })).toMatchObject({
      actorId: (await stack.db.actor.findUniqueOrThrow({ where: { subject: distributor.owner.subject } })).id,
      reason: 'No longer sells for us',
    });
    // The granting store can also withdraw a sub-letter still waiting for review.
    expect((await revoke(otherSub.id, otherDistributor.owner)).body.data.revokeAuthorization.letter.status).toBe('REVOKED');
  });
});
