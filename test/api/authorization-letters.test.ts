import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../src/auth/tokens.js';
import { registerBrand } from '../support/brand-operations.js';
import {
  ANSWER_SUB_LICENSE,
  BADGE_STATUS,
  BRAND_LETTERS,
  CONFIRM_LETTER,
  DOCUMENT_NODE,
  GRANTOR_OF,
  LETTER_NODE,
  REVIEW_LETTER,
  REVOKE_LETTER,
  SET_SUB_LICENSING,
  STORE_BADGES,
  SUBMIT_LETTER,
} from '../support/letter-operations.js';
import { pdfFile, rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

let stack: Stack;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);
const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');
const letterPdf = () => pdfFile('letter.pdf', 'Acme hereby authorizes the store to resell its products');

interface TestBrand {
  id: string;
  slug: string;
  name: string;
  owner: Actor;
  /** When the brand's only trademark ends. */
  validUntil: Date;
}

interface TestStore {
  id: string;
  name: string;
  owner: Actor;
}

interface Letter {
  id: string;
  chainDepth: number;
  status: string;
  validUntil: string;
  document: { id: string; sha256: string };
}

/** A brand made VERIFIED by an approved trademark, with its owner as first member. */
async function newBrand(trademarkUntil?: Date): Promise<TestBrand> {
  const owner = await actor(stack, 'brand-owner', ['BRAND']);
  const brand = await verifiedBrand(stack, owner, reviewer, trademarkUntil);
  // registerBrand selects the name too; its declared type just leaves it out.
  return { ...(brand as typeof brand & { name: string }), owner };
}

async function newStore(owner?: Actor): Promise<TestStore> {
  const merchant = owner ?? (await actor(stack, 'merchant', ['MERCHANT']));
  return { ...(await createStore(stack, merchant)), owner: merchant };
}

function letterInput(store: { id: string }, brand: { id: string }, overrides: Record<string, unknown> = {}) {
  return {
    storeId: store.id,
    brandId: brand.id,
    scope: 'All products, EU marketplaces',
    validFrom: new Date(Date.now() - DAY).toISOString(),
    validUntil: inDays(180).toISOString(),
    letter: null,
    ...overrides,
  };
}

function submit(owner: Actor, input: Record<string, unknown>, file: File = letterPdf()) {
  return stack.gql(SUBMIT_LETTER, { input }, { token: owner.token, files: { 'input.letter': file } });
}

/** Who holds each letter, so the store that grants a sub-letter can confirm it. */
const holders = new Map<string, Actor>();

async function submitted(store: TestStore, brand: { id: string }, overrides: Record<string, unknown> = {}): Promise<Letter> {
  const res = await submit(store.owner, letterInput(store, brand, overrides));
  const letter = res.body.data?.submitAuthorizationLetter.letter;
  if (!letter) throw new Error(`submitAuthorizationLetter failed: ${JSON.stringify(res.body)}`);
  holders.set(letter.id, store.owner);
  return letter;
}

/** The brand lets the letter's store grant sub-letters (test/api/sub-license-consent.test.ts covers the rule). */
async function allowSubLicensing(letter: { id: string }, brand: TestBrand) {
  const res = await stack.gql(SET_SUB_LICENSING, { input: { letterId: letter.id, allowed: true } }, { token: brand.owner.token });
  if (res.body.data?.setSubLicensing.letter?.allowsSubLicensing !== true)
    throw new Error(`setSubLicensing failed: ${JSON.stringify(res.body)}`);
}

function review(letterId: string, approve: boolean, note?: string) {
  return stack.gql(REVIEW_LETTER, { input: { id: letterId, approve, note } }, { token: reviewer.token });
}

async function approved(store: TestStore, brand: { id: string }, overrides: Record<string, unknown> = {}): Promise<Letter> {
  const letter = await submitted(store, brand, overrides);
  // A sub-letter is reviewed once the store that grants it has confirmed it.
  const grantorOwner = typeof overrides.grantorLetterId === 'string' ? holders.get(overrides.grantorLetterId) : undefined;
  if (grantorOwner) await stack.gql(ANSWER_SUB_LICENSE, { input: { letterId: letter.id, confirm: true } }, { token: grantorOwner.token });
  const res = await review(letter.id, true);
  if (res.body.data?.reviewAuthorizationLetter.letter?.status !== 'APPROVED')
    throw new Error(`approval failed: ${JSON.stringify(res.body)}`);
  return res.body.data.reviewAuthorizationLetter.letter;
}

function confirm(letterId: string, token: string, yes = true, note?: string) {
  return stack.gql(CONFIRM_LETTER, { input: { letterId, confirm: yes, note } }, { token });
}

function revoke(letterId: string, token: string, reason = 'The distribution contract ended') {
  return stack.gql(REVOKE_LETTER, { input: { id: letterId, reason } }, { token });
}

/** Every badge the store ever held, through its public profile. */
async function badgesOf(store: { id: string }) {
  const res = await stack.gql(STORE_BADGES, { id: store.id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node.badges as Array<Record<string, unknown>>;
}

/** The store's badges once the transparency log's checkpoint covers the grant of each active one's credential. */
async function publishedBadgesOf(store: { id: string }) {
  return vi.waitFor(
    async () => {
      const badges = await badgesOf(store);
      if (badges.some((badge) => badge.status === 'ACTIVE' && !badge.credential)) throw new Error('a credential awaits its checkpoint');
      return badges;
    },
    { timeout: 30_000, interval: 100 },
  );
}

function authorizedBadge(store: TestStore, brand: TestBrand, expiresAt: string) {
  return {
    id: expect.any(String),
    kind: 'AUTHORIZED_STORE',
    status: 'ACTIVE',
    label: `Official authorized store of ${brand.name}`,
    issuedAt: expect.any(String),
    expiresAt,
    revokedReason: null,
    credential: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    store: { id: store.id, name: store.name },
    brand: { id: brand.id, slug: brand.slug, name: brand.name },
  };
}

const userErrorPayload = (mutation: string, code: string, field: string[], message: unknown = expect.any(String)) => ({
  data: { [mutation]: { letter: null, userErrors: [{ code, field, message }] } },
});

const forbiddenAt = (...paths: string[][]) =>
  paths.map((path) => expect.objectContaining({ path, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));

const earliest = (...dates: Array<Date | string>) => new Date(Math.min(...dates.map((d) => new Date(d).getTime()))).toISOString();

describe('depth 1: a letter from the brand itself', () => {
  it('goes from upload through brand confirmation and approval to a badge that ends with the trademark when the trademark ends first', async () => {
    const brand = await newBrand(inDays(60));
    const store = await newStore();
    const file = letterPdf();
    const input = letterInput(store, brand, { scope: '  Footwear, EU marketplaces  ', validUntil: inDays(200).toISOString() });

    const res = await submit(store.owner, input, file);
    const expected = {
      id: expect.any(String),
      chainDepth: 1,
      scope: 'Footwear, EU marketplaces',
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      status: 'SUBMITTED',
      brandConfirmation: 'PENDING',
      reviewNote: null,
      brand: { id: brand.id },
      store: { id: store.id },
      document: {
        id: expect.any(String),
        filename: 'letter.pdf',
        contentType: 'application/pdf',
        byteSize: file.size,
        sha256: sha256(await file.arrayBuffer()),
      },
    };
    expect(res.body).toEqual({ data: { submitAuthorizationLetter: { letter: expected, userErrors: [] } } });
    const letter = res.body.data.submitAuthorizationLetter.letter;

    const confirmed = await confirm(letter.id, brand.owner.token, true, 'We signed this one');
    expect(confirmed.body).toEqual({
      data: {
        confirmAuthorization: {
          letter: { ...expected, id: letter.id, document: letter.document, brandConfirmation: 'CONFIRMED' },
          userErrors: [],
        },
      },
    });
    expect(await badgesOf(store)).toEqual([]);

    const reviewed = await review(letter.id, true, 'Letterhead and signature check out');
    expect(reviewed.body).toEqual({
      data: {
        reviewAuthorizationLetter: {
          letter: {
            ...expected,
            id: letter.id,
            document: letter.document,
            brandConfirmation: 'CONFIRMED',
            status: 'APPROVED',
            reviewNote: 'Letterhead and signature check out',
          },
          userErrors: [],
        },
      },
    });

    const badge = authorizedBadge(store, brand, brand.validUntil.toISOString());
    expect(await publishedBadgesOf(store)).toEqual([badge]);
    const publicStatus = await stack.gql(BADGE_STATUS, { storeId: store.id });
    expect(publicStatus.body).toEqual({ data: { badgeStatus: [badge] } });

    const audit = await stack.db.auditEvent.findMany({ where: { entityId: rowId(letter.id) }, orderBy: { at: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['letter.submitted', 'letter.confirmed_by_brand', 'letter.approved']);
  });

  it('ends the badge with the letter when the letter ends before the trademark', async () => {
    const brand = await newBrand(inDays(365));
    const store = await newStore();
    const validUntil = inDays(90).toISOString();
    // No brand confirmation: the brand may confirm, but a reviewer's approval does not wait for it.
    const letter = await approved(store, brand, { validUntil });
    expect(letter).toMatchObject({ status: 'APPROVED', brandConfirmation: 'PENDING', validUntil });
    expect(await publishedBadgesOf(store)).toEqual([authorizedBadge(store, brand, validUntil)]);
  });

  it("can't be approved while the brand is not VERIFIED", async () => {
    const owner = await actor(stack, 'brand-owner', ['BRAND']);
    const brand = await registerBrand(stack, owner.token, unique('unproven'));
    const store = await newStore();
    const letter = await submitted(store, brand);
    const res = await review(letter.id, true);
    expect(res.body).toEqual(
      userErrorPayload(
        'reviewAuthorizationLetter',
        'NOT_ALLOWED_IN_STATE',
        ['input', 'id'],
        'The brand is not VERIFIED, so it cannot authorize resellers now.',
      ),
    );
    expect((await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } })).status).toBe('SUBMITTED');
    expect(await badgesOf(store)).toEqual([]);
  });
});

describe('depth 2: a letter from an authorized store', () => {
  let brand: TestBrand;
  let distributor: TestStore;
  let grantor: Letter;

  beforeAll(async () => {
    brand = await newBrand(inDays(365));
    distributor = await newStore();
    grantor = await approved(distributor, brand, { validUntil: inDays(200).toISOString() });
    await allowSubLicensing(grantor, brand);
  });

  async function lettersOf(store: TestStore) {
    return stack.db.authorizationLetter.count({ where: { storeId: rowId(store.id) } });
  }

  it('records the grantor and issues a badge that ends at the earliest date along the chain', async () => {
    const reseller = await newStore();
    const validUntil = inDays(120).toISOString();
    const input = letterInput(reseller, brand, { grantorLetterId: grantor.id, validUntil });
    const res = await submit(reseller.owner, input);
    expect(res.body).toEqual({
      data: {
        submitAuthorizationLetter: {
          letter: {
            id: expect.any(String),
            chainDepth: 2,
            scope: input.scope,
            validFrom: input.validFrom,
            validUntil,
            status: 'SUBMITTED',
            brandConfirmation: 'PENDING',
            reviewNote: null,
            brand: { id: brand.id },
            store: { id: reseller.id },
            document: expect.objectContaining({ filename: 'letter.pdf', contentType: 'application/pdf' }),
          },
          userErrors: [],
        },
      },
    });
    const letter = res.body.data.submitAuthorizationLetter.letter;

    const asBrand = await stack.gql(GRANTOR_OF, { id: letter.id }, { token: brand.owner.token });
    expect(asBrand.body).toEqual({
      data: { node: { id: letter.id, chainDepth: 2, grantor: { id: grantor.id, chainDepth: 1, status: 'APPROVED' } } },
    });

    const consent = await stack.gql(
      ANSWER_SUB_LICENSE,
      { input: { letterId: letter.id, confirm: true } },
      { token: distributor.owner.token },
    );
    expect(consent.body.data.answerSubLicense.userErrors).toEqual([]);
    expect((await review(letter.id, true)).body.data.reviewAuthorizationLetter).toMatchObject({
      letter: { status: 'APPROVED' },
      userErrors: [],
    });
    expect(await publishedBadgesOf(reseller)).toEqual([
      authorizedBadge(reseller, brand, earliest(validUntil, grantor.validUntil, brand.validUntil)),
    ]);
  });

  it('lets a depth-2 letter end with its grantor but not after it (INVALID on validUntil)', async () => {
    // The distributor's owner sees the grantor's letter, so is told why; a stranger is refused alike for every reason.
    const reseller = await newStore(distributor.owner);
    const tooLate = await submit(
      reseller.owner,
      letterInput(reseller, brand, { grantorLetterId: grantor.id, validUntil: new Date(Date.parse(grantor.validUntil) + 1).toISOString() }),
    );
    expect(tooLate.body).toEqual(
      userErrorPayload(
        'submitAuthorizationLetter',
        'INVALID',
        ['input', 'validUntil'],
        `A letter can't outlive its grantor's, which ends ${grantor.validUntil}.`,
      ),
    );
    expect(await lettersOf(reseller)).toBe(0);

    const sameEnd = await submit(
      reseller.owner,
      letterInput(reseller, brand, { grantorLetterId: grantor.id, validUntil: grantor.validUntil }),
    );
    expect(sameEnd.body.data.submitAuthorizationLetter).toMatchObject({
      letter: { chainDepth: 2, validUntil: grantor.validUntil },
      userErrors: [],
    });
  });

  it('refuses depth 3 as LIMIT_EXCEEDED', async () => {
    const reseller = await newStore();
    const depth2 = await approved(reseller, brand, { grantorLetterId: grantor.id, validUntil: inDays(100).toISOString() });
    expect(depth2.chainDepth).toBe(2);

    // The depth-2 holder sees its own letter, so is told why (strangers: test/api/security/information-leaks.test.ts).
    const subReseller = await newStore(reseller.owner);
    const res = await submit(
      subReseller.owner,
      letterInput(subReseller, brand, { grantorLetterId: depth2.id, validUntil: inDays(50).toISOString() }),
    );
    expect(res.body).toEqual(userErrorPayload('submitAuthorizationLetter', 'LIMIT_EXCEEDED', ['input', 'grantorLetterId']));
    expect(await lettersOf(subReseller)).toBe(0);
  });

  it('refuses a grantor letter of another brand as INVALID', async () => {
    const otherBrand = await newBrand();
    const otherDistributor = await newStore();
    const othersLetter = await approved(otherDistributor, otherBrand);

    const reseller = await newStore(otherDistributor.owner);
    const res = await submit(
      reseller.owner,
      letterInput(reseller, brand, { grantorLetterId: othersLetter.id, validUntil: inDays(30).toISOString() }),
    );
    expect(res.body).toEqual(
      userErrorPayload('submitAuthorizationLetter', 'INVALID', ['input', 'grantorLetterId'], "The grantor's letter is for another brand."),
    );
    expect(await lettersOf(reseller)).toBe(0);
  });

  it('refuses a grantor whose letter is not APPROVED as NOT_ALLOWED_IN_STATE', async () => {
    const pendingDistributor = await newStore();
    const pending = await submitted(pendingDistributor, brand);

    const reseller = await newStore(pendingDistributor.owner);
    const res = await submit(
      reseller.owner,
      letterInput(reseller, brand, { grantorLetterId: pending.id, validUntil: inDays(30).toISOString() }),
    );
    expect(res.body).toEqual(
      userErrorPayload(
        'submitAuthorizationLetter',
        'NOT_ALLOWED_IN_STATE',
        ['input', 'grantorLetterId'],
        "The grantor's letter is SUBMITTED, not APPROVED.",
      ),
    );
    expect(await lettersOf(reseller)).toBe(0);
  });

  it('refuses a store citing its own letter as grantor as INVALID', async () => {
    const before = await lettersOf(distributor);
    const res = await submit(
      distributor.owner,
      letterInput(distributor, brand, { grantorLetterId: grantor.id, validUntil: inDays(30).toISOString() }),
    );
    expect(res.body).toEqual(
      userErrorPayload('submitAuthorizationLetter', 'INVALID', ['input', 'grantorLetterId'], 'A store cannot authorize itself.'),
    );
    expect(await lettersOf(distributor)).toBe(before);
  });

  it("shows the granting store the letters it granted, but not the grantee its grantor's letter", async () => {
    const reseller = await newStore();
    const letter = await submitted(reseller, brand, { grantorLetterId: grantor.id, validUntil: inDays(30).toISOString() });

    const asGrantor = await stack.gql(LETTER_NODE, { id: letter.id }, { token: distributor.owner.token });
    expect(asGrantor.body.errors).toBeUndefined();
    expect(asGrantor.body.data.node).toMatchObject({
      id: letter.id,
      chainDepth: 2,
      document: { id: letter.document.id, url: expect.stringMatching(/^http/) },
    });

    // The grantee sees its own letter; the distributor's letter stays the distributor's.
    const asGrantee = await stack.gql(GRANTOR_OF, { id: letter.id }, { token: reseller.owner.token });
    expect(asGrantee.body).toEqual({
      data: { node: { id: letter.id, chainDepth: 2, grantor: null } },
      errors: forbiddenAt(['node', 'grantor']),
    });
  });
});

describe("the brand's confirmation", () => {
  it('rejects the letter at once on a denial, and a reviewer can no longer approve it', async () => {
    const brand = await newBrand();
    const store = await newStore();
    const letter = await submitted(store, brand);

    const denied = await confirm(letter.id, brand.owner.token, false, 'We never issued this letter');
    expect(denied.body.data.confirmAuthorization).toMatchObject({
      letter: { id: letter.id, status: 'REJECTED', brandConfirmation: 'DENIED', reviewNote: 'We never issued this letter' },
      userErrors: [],
    });

    const approval = await review(letter.id, true);
    expect(approval.body).toEqual(
      userErrorPayload(
        'reviewAuthorizationLetter',
        'NOT_ALLOWED_IN_STATE',
        ['input', 'id'],
        'The letter is REJECTED; only SUBMITTED letters are reviewed.',
      ),
    );
    expect(await badgesOf(store)).toEqual([]);
    expect(await stack.db.badge.count({ where: { letterId: rowId(letter.id) } })).toBe(0);
  });

  it('gives a denial without a note a default reason', async () => {
    const brand = await newBrand();
    const store = await newStore();
    const letter = await submitted(store, brand);
    const denied = await confirm(letter.id, brand.owner.token, false);
    expect(denied.body.data.confirmAuthorization.letter).toMatchObject({
      status: 'REJECTED',
      reviewNote: 'The brand denies issuing this letter.',
    });
  });

  it('is given once: confirming twice, or denying after confirming, is NOT_ALLOWED_IN_STATE', async () => {
    const brand = await newBrand();
    const store = await newStore();
    const letter = await submitted(store, brand);
    expect((await confirm(letter.id, brand.owner.token)).body.data.confirmAuthorization).toMatchObject({
      letter: { brandConfirmation: 'CONFIRMED' },
      userErrors: [],
    });

    const again = await confirm(letter.id, brand.owner.token);
    expect(again.body).toEqual(
      userErrorPayload('confirmAuthorization', 'NOT_ALLOWED_IN_STATE', ['input', 'letterId'], 'The brand already confirmed this letter.'),
    );
    const deny = await confirm(letter.id, brand.owner.token, false);
    expect(deny.body).toEqual(
      userErrorPayload('confirmAuthorization', 'NOT_ALLOWED_IN_STATE', ['input', 'letterId'], 'The brand already confirmed this letter.'),
    );

    const row = await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } });
    expect(row).toMatchObject({ status: 'SUBMITTED', brandConfirmation: 'CONFIRMED' });
  });
});

describe('revocation', () => {
  it('revokes the letter, every letter granted under it and their badges, once', async () => {
    const brand = await newBrand();
    const distributor = await newStore();
    const reseller = await newStore();
    const applicant = await newStore();
    const grantor = await approved(distributor, brand);
    await allowSubLicensing(grantor, brand);
    const granted = await approved(reseller, brand, { grantorLetterId: grantor.id, validUntil: inDays(90).toISOString() });
    const pending = await submitted(applicant, brand, { grantorLetterId: grantor.id, validUntil: inDays(60).toISOString() });
    // An unrelated letter of the same brand must survive.
    const bystander = await newStore();
    const untouched = await approved(bystander, brand);

    const reason = 'The distribution contract ended';
    const res = await revoke(grantor.id, brand.owner.token, `  ${reason} `);
    expect(res.body.data.revokeAuthorization).toMatchObject({ letter: { id: grantor.id, status: 'REVOKED' }, userErrors: [] });

    for (const letter of [grantor, granted, pending]) {
      const seen = await stack.gql(LETTER_NODE, { id: letter.id }, { token: brand.owner.token });
      expect(seen.body.data.node.status).toBe('REVOKED');
    }
    const bystanderView = await stack.gql(LETTER_NODE, { id: untouched.id }, { token: brand.owner.token });
    expect(bystanderView.body.data.node.status).toBe('APPROVED');

    const revokedBadge = {
      status: 'REVOKED',
      revokedReason: `authorization revoked: ${reason}`,
      credential: null,
      kind: 'AUTHORIZED_STORE',
    };
    expect(await badgesOf(distributor)).toMatchObject([revokedBadge]);
    expect(await badgesOf(reseller)).toMatchObject([revokedBadge]);
    expect(await badgesOf(bystander)).toMatchObject([{ status: 'ACTIVE', revokedReason: null }]);
    for (const store of [distributor, reseller]) {
      expect((await stack.gql(BADGE_STATUS, { storeId: store.id })).body).toEqual({ data: { badgeStatus: [] } });
    }

    const letterIds = [grantor, granted, pending].map((l) => rowId(l.id));
    const rows = await stack.db.authorizationLetter.findMany({ where: { id: { in: letterIds } } });
    expect(rows.map((r) => [r.status, r.revokedReason])).toEqual(letterIds.map(() => ['REVOKED', reason]));

    const badgeIds = (await stack.db.badge.findMany({ where: { letterId: { in: letterIds } } })).map((b) => b.id);
    expect(badgeIds).toHaveLength(2);
    const audit = await stack.db.auditEvent.findMany({
      where: { entityId: { in: [...letterIds, ...badgeIds] }, action: { in: ['letter.revoked', 'badge.revoked'] } },
    });
    expect(audit.map((e) => `${e.action} ${e.entityId}`).sort()).toEqual(
      [...letterIds.map((id) => `letter.revoked ${id}`), ...badgeIds.map((id) => `badge.revoked ${id}`)].sort(),
    );

    for (const letter of [grantor, granted]) {
      const again = await revoke(letter.id, brand.owner.token);
      expect(again.body).toEqual(
        userErrorPayload('revokeAuthorization', 'NOT_ALLOWED_IN_STATE', ['input', 'id'], 'The letter is already REVOKED.'),
      );
    }
  });

  it('needs a reason', async () => {
    const brand = await newBrand();
    const letter = await submitted(await newStore(), brand);
    const res = await revoke(letter.id, brand.owner.token, '   ');
    expect(res.body).toEqual(userErrorPayload('revokeAuthorization', 'INVALID', ['input', 'reason'], 'A revocation needs a reason.'));
    expect((await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } })).status).toBe('SUBMITTED');
  });
});

describe('access', () => {
  let brandA: TestBrand;
  let brandB: TestBrand;
  let store: TestStore;
  let letter: Letter;
  let letterOfB: Letter;
  let callers: Record<string, Actor | null>;

  beforeAll(async () => {
    [brandA, brandB] = await Promise.all([newBrand(), newBrand()]);
    store = await newStore();
    letter = await submitted(store, brandA);
    letterOfB = await submitted(await newStore(), brandB);
    // No mutation adds a member to a brand, so this reviewer joins brand A in the database.
    const memberRoles: Role[] = ['BRAND', 'REVIEWER'];
    const memberReviewer = await actor(stack, 'member-reviewer', memberRoles);
    await stack.db.brandMember.create({
      data: { brand: { connect: { id: rowId(brandA.id) } }, actor: { create: { subject: memberReviewer.subject, roles: memberRoles } } },
    });
    callers = {
      anonymous: null,
      consumer: await actor(stack, 'consumer', ['CONSUMER']),
      'a member of another brand': brandB.owner,
      'the owner of another store': (await newStore()).owner,
      'the store owner': store.owner,
      "the brand's member": brandA.owner,
      "a reviewer who is the brand's member": memberReviewer,
    };
  });

  const strangers = ['anonymous', 'consumer', 'a member of another brand', 'the owner of another store'];
  const operations: Record<string, { callers: string[]; send: (token?: string) => ReturnType<Stack['gql']> }> = {
    submitAuthorizationLetter: {
      callers: strangers,
      send: (token) => stack.gql(SUBMIT_LETTER, { input: letterInput(store, brandA) }, { token, files: { 'input.letter': letterPdf() } }),
    },
    confirmAuthorization: {
      callers: [...strangers, 'the store owner'],
      send: (token) => stack.gql(CONFIRM_LETTER, { input: { letterId: letter.id, confirm: true } }, { token }),
    },
    reviewAuthorizationLetter: {
      callers: [...strangers, 'the store owner', "the brand's member", "a reviewer who is the brand's member"],
      send: (token) => stack.gql(REVIEW_LETTER, { input: { id: letter.id, approve: true } }, { token }),
    },
    revokeAuthorization: {
      callers: [...strangers, 'the store owner'],
      send: (token) => stack.gql(REVOKE_LETTER, { input: { id: letter.id, reason: 'no longer trusted' } }, { token }),
    },
    authorizationLetters: {
      callers: strangers,
      send: (token) => stack.gql(BRAND_LETTERS, { brandId: brandA.id }, { token }),
    },
  };
  const cases = Object.entries(operations).flatMap(([name, op]) => op.callers.map((caller) => [name, caller] as const));

  /** Everything a refused call could have changed. */
  async function written() {
    const subjects = Object.values(callers).flatMap((c) => (c ? [c.subject] : []));
    const [letters, documents, audit, badges] = await Promise.all([
      stack.db.authorizationLetter.findMany({
        where: { brandId: rowId(brandA.id) },
        select: { id: true, status: true, brandConfirmation: true, reviewedById: true, revokedReason: true },
      }),
      stack.db.document.count({ where: { uploadedBy: { subject: { in: subjects } } } }),
      stack.db.auditEvent.count({ where: { entityId: rowId(letter.id) } }),
      stack.db.badge.count({ where: { storeId: rowId(store.id) } }),
    ]);
    return { letters, documents, audit, badges };
  }

  it.each(cases)('refuses %s by %s, and writes nothing', async (name, caller) => {
    const before = await written();
    const who = callers[caller] ?? null;
    const res = await operations[name]!.send(who?.token);
    // An upload without a token is refused before its body is read, so before any field runs.
    const uploadWithoutToken = !who && name === 'submitAuthorizationLetter';
    expect(res.body).toEqual({
      ...(uploadWithoutToken ? {} : { data: null }),
      errors: [
        expect.objectContaining({
          ...(uploadWithoutToken ? {} : { path: [name] }),
          extensions: expect.objectContaining({ code: who ? 'FORBIDDEN' : 'UNAUTHENTICATED' }),
        }),
      ],
    });
    expect(await written()).toEqual(before);
  });

  describe("brand B's letters and documents, asked for by brand A's member", () => {
    it('are FORBIDDEN through the root list', async () => {
      const res = await stack.gql(BRAND_LETTERS, { brandId: brandB.id }, { token: brandA.owner.token });
      expect(res.body).toEqual({ data: null, errors: forbiddenAt(['authorizationLetters']) });
    });

    it('are FORBIDDEN through node(id) on the letter, its nested document included, with one error on the node', async () => {
      const res = await stack.gql(LETTER_NODE, { id: letterOfB.id }, { token: brandA.owner.token });
      expect(JSON.stringify(res.body)).not.toContain(letterOfB.document.sha256);
      expect(res.body).toEqual({ data: { node: null }, errors: forbiddenAt(['node']) });
    });

    it("don't even confirm the letter exists through node(id) { __typename }", async () => {
      const res = await stack.gql(`query ($id: ID!) { node(id: $id) { __typename } }`, { id: letterOfB.id }, { token: brandA.owner.token });
      expect(res.body).toEqual({ data: { node: null }, errors: forbiddenAt(['node']) });
    });

    it('are FORBIDDEN through node(id) on the letter document', async () => {
      const res = await stack.gql(DOCUMENT_NODE, { id: letterOfB.document.id }, { token: brandA.owner.token });
      expect(res.body).toEqual({ data: { node: null }, errors: forbiddenAt(['node']) });
    });

    it('are FORBIDDEN under each alias of one query', async () => {
      const res = await stack.gql(
        `query ($letter: ID!, $document: ID!) {
          a: node(id: $letter) { id ... on AuthorizationLetter { scope } }
          b: node(id: $document) { id ... on Document { url } }
        }`,
        { letter: letterOfB.id, document: letterOfB.document.id },
        { token: brandA.owner.token },
      );
      expect(res.body.data).toEqual({ a: null, b: null });
      const errors = [...(res.body.errors ?? [])].sort((x, y) => String(x.path).localeCompare(String(y.path)));
      expect(errors).toEqual(forbiddenAt(['a'], ['b']));
    });
  });

  it("answers node(id) for a letter id that does not exist as for another brand's letter, and null to reviewers", async () => {
    const missing = Buffer.from('AuthorizationLetter:00000000-0000-4000-8000-000000000000').toString('base64');
    const res = await stack.gql(LETTER_NODE, { id: missing }, { token: brandA.owner.token });
    expect(res.body).toEqual({ data: { node: null }, errors: forbiddenAt(['node']) });
    expect((await stack.gql(LETTER_NODE, { id: missing }, { token: reviewer.token })).body).toEqual({ data: { node: null } });
  });

  it('shows the letter and a presigned document url to its store owner, its brand members and reviewers', async () => {
    const expectedSha = letter.document.sha256;
    for (const viewer of [store.owner, brandA.owner, reviewer]) {
      const res = await stack.gql(LETTER_NODE, { id: letter.id }, { token: viewer.token });
      expect(res.body).toEqual({
        data: {
          node: {
            id: letter.id,
            status: 'SUBMITTED',
            brandConfirmation: 'PENDING',
            chainDepth: 1,
            document: { id: letter.document.id, sha256: expectedSha, url: expect.any(String) },
          },
        },
      });
      const url = new URL(res.body.data.node.document.url);
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeGreaterThan(0);
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);

      const documentNode = await stack.gql(DOCUMENT_NODE, { id: letter.document.id }, { token: viewer.token });
      expect(documentNode.body).toEqual({
        data: { node: { id: letter.document.id, sha256: expectedSha, url: expect.stringMatching(/^http/) } },
      });
    }
    const listed = await stack.gql(BRAND_LETTERS, { brandId: brandA.id }, { token: reviewer.token });
    expect(listed.body.data.authorizationLetters.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(letter.id);

    const download = await fetch(
      (await stack.gql(LETTER_NODE, { id: letter.id }, { token: store.owner.token })).body.data.node.document.url,
    );
    expect(download.status).toBe(200);
    expect(sha256(await download.arrayBuffer())).toBe(expectedSha);
  });
});

describe('bad input is refused and leaves nothing behind', () => {
  let brand: TestBrand;
  let store: TestStore;

  beforeAll(async () => {
    brand = await newBrand();
    store = await newStore();
  });

  async function counts() {
    const [letters, documents] = await Promise.all([
      stack.db.authorizationLetter.count({ where: { OR: [{ brandId: rowId(brand.id) }, { storeId: rowId(store.id) }] } }),
      stack.db.document.count({ where: { uploadedBy: { subject: store.owner.subject } } }),
    ]);
    return { letters, documents };
  }

  const unknown = (typename: string) => Buffer.from(`${typename}:00000000-0000-4000-8000-000000000000`).toString('base64');
  const past = (days: number) => new Date(Date.now() - days * DAY).toISOString();

  const cases: Array<[string, () => Record<string, unknown>, string, string, string?]> = [
    [
      'validUntil before validFrom',
      () => ({ validFrom: inDays(30).toISOString(), validUntil: inDays(10).toISOString() }),
      'INVALID',
      'validUntil',
      'validUntil must come after validFrom.',
    ],
    [
      'validUntil equal to validFrom',
      () => {
        const instant = inDays(10).toISOString();
        return { validFrom: instant, validUntil: instant };
      },
      'INVALID',
      'validUntil',
    ],
    [
      'validUntil in the past',
      () => ({ validFrom: past(60), validUntil: past(1) }),
      'EXPIRED',
      'validUntil',
      'This letter has already expired.',
    ],
    // Unknown store and grantor ids are FORBIDDEN like others' (test/api/security/information-leaks.test.ts).
    ['an unknown brand', () => ({ brandId: unknown('Brand') }), 'NOT_FOUND', 'brandId', 'No brand has this id.'],
    ['a malformed store id', () => ({ storeId: 'not-an-id' }), 'INVALID', 'storeId', 'This is not a valid Store id.'],
    ['a brand id given as the store id', () => ({ storeId: brand.id }), 'INVALID', 'storeId', 'This is not a valid Store id.'],
    // "Brand:not-a-uuid": the right type name, but no row id.
    ['a malformed brand id', () => ({ brandId: 'QnJhbmQ6bm90LWEtdXVpZA==' }), 'INVALID', 'brandId', 'This is not a valid Brand id.'],
    [
      'a malformed grantor id',
      () => ({ grantorLetterId: 'nope' }),
      'INVALID',
      'grantorLetterId',
      'This is not a valid AuthorizationLetter id.',
    ],
    ['an empty scope', () => ({ scope: '   ' }), 'INVALID', 'scope'],
    ['a scope over 500 characters', () => ({ scope: 'x'.repeat(501) }), 'LIMIT_EXCEEDED', 'scope'],
  ];

  it.each(cases)('refuses %s', async (_case, overrides, code, field, message) => {
    const before = await counts();
    const res = await submit(store.owner, letterInput(store, brand, overrides()));
    expect(res.body).toEqual(userErrorPayload('submitAuthorizationLetter', code, ['input', field], message ?? expect.any(String)));
    expect(await counts()).toEqual(before);
  });

  it('reports every problem of a submission at once', async () => {
    const before = await counts();
    const res = await submit(
      store.owner,
      letterInput(store, brand, { scope: '', validFrom: inDays(30).toISOString(), validUntil: inDays(10).toISOString() }),
    );
    expect(res.body.data.submitAuthorizationLetter.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'scope'], message: 'The scope has 1 to 500 characters, e.g. "All products, EU marketplaces".' },
      { code: 'INVALID', field: ['input', 'validUntil'], message: 'validUntil must come after validFrom.' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a text file renamed .pdf as UNSUPPORTED_MEDIA', async () => {
    const before = await counts();
    const fake = new File(['not a letter, just text\n'.repeat(40)], 'letter.pdf', { type: 'application/pdf' });
    const res = await submit(store.owner, letterInput(store, brand), fake);
    expect(res.body).toEqual(
      userErrorPayload('submitAuthorizationLetter', 'UNSUPPORTED_MEDIA', ['input', 'letter'], expect.stringContaining('PDF, JPEG, PNG')),
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses an empty file as INVALID', async () => {
    const before = await counts();
    const res = await submit(store.owner, letterInput(store, brand), new File([], 'letter.pdf', { type: 'application/pdf' }));
    expect(res.body).toEqual(userErrorPayload('submitAuthorizationLetter', 'INVALID', ['input', 'letter'], 'The file is empty.'));
    expect(await counts()).toEqual(before);
  });

  it('refuses a suspended store as NOT_ALLOWED_IN_STATE', async () => {
    // A store of its own owner: a suspended store puts its owner's other stores out of action too.
    const suspended = await newStore();
    await stack.db.store.update({ where: { id: rowId(suspended.id) }, data: { status: 'SUSPENDED' } });
    const before = await counts();
    const res = await submit(suspended.owner, letterInput(suspended, brand));
    expect(res.body).toEqual(
      userErrorPayload('submitAuthorizationLetter', 'NOT_ALLOWED_IN_STATE', ['input', 'storeId'], 'The store is suspended.'),
    );
    expect(await counts()).toEqual(before);
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(suspended.id) } })).toBe(0);
  });

  it("refuses someone else's store as FORBIDDEN", async () => {
    const foreign = await newStore();
    const before = await counts();
    const res = await submit(store.owner, letterInput(foreign, brand));
    expect(res.body).toEqual({ data: null, errors: forbiddenAt(['submitAuthorizationLetter']) });
    expect(await counts()).toEqual(before);
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(foreign.id) } })).toBe(0);
  });

  it.each([
    [
      'confirmAuthorization',
      'letterId',
      (id: string) => stack.gql(CONFIRM_LETTER, { input: { letterId: id, confirm: true } }, { token: brand.owner.token }),
      'FORBIDDEN',
    ],
    ['reviewAuthorizationLetter', 'id', (id: string) => review(id, true), 'NOT_FOUND'],
    ['revokeAuthorization', 'id', (id: string) => revoke(id, brand.owner.token), 'FORBIDDEN'],
  ] as const)(
    '%s refuses unknown ids (NOT_FOUND to reviewers, who see every letter; FORBIDDEN to brand members) and malformed ones (INVALID)',
    async (name, field, send, unknownAnswer) => {
      expect((await send(unknown('AuthorizationLetter'))).body).toEqual(
        unknownAnswer === 'NOT_FOUND'
          ? userErrorPayload(name, 'NOT_FOUND', ['input', field], 'No authorization letter has this id.')
          : { data: null, errors: forbiddenAt([name]) },
      );
      expect((await send(store.id)).body).toEqual(
        userErrorPayload(name, 'INVALID', ['input', field], 'This is not a valid AuthorizationLetter id.'),
      );
    },
  );

  it('needs a note to reject a letter', async () => {
    const letter = await submitted(store, brand);
    const res = await review(letter.id, false);
    expect(res.body).toEqual(userErrorPayload('reviewAuthorizationLetter', 'INVALID', ['input', 'note']));
    expect((await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } })).status).toBe('SUBMITTED');
  });
});

describe("listing a brand's letters", () => {
  it('filters by status and pages with first/after', async () => {
    const brand = await newBrand();
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const stores = await Promise.all(Array.from({ length: 5 }, () => newStore(merchant)));
    const approvedIds = (await Promise.all(stores.slice(0, 3).map((s) => approved(s, brand)))).map((l) => l.id);
    const pending = await submitted(stores[3]!, brand);
    const denied = await submitted(stores[4]!, brand);
    await confirm(denied.id, brand.owner.token, false);

    const list = (variables: Record<string, unknown>) =>
      stack.gql(BRAND_LETTERS, { brandId: brand.id, ...variables }, { token: brand.owner.token });
    const ids = (res: Awaited<ReturnType<typeof list>>) =>
      res.body.data.authorizationLetters.edges.map((e: { node: { id: string } }) => e.node.id) as string[];

    const all = await list({});
    expect(all.body.errors).toBeUndefined();
    expect(ids(all).sort()).toEqual([...approvedIds, pending.id, denied.id].sort());

    const firstPage = await list({ status: ['APPROVED'], first: 2 });
    expect(firstPage.body.errors).toBeUndefined();
    const page1 = firstPage.body.data.authorizationLetters;
    expect(page1.edges).toHaveLength(2);
    expect(page1.edges.every((e: { node: { status: string } }) => e.node.status === 'APPROVED')).toBe(true);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1].cursor });

    const secondPage = await list({ status: ['APPROVED'], first: 2, after: page1.pageInfo.endCursor });
    const page2 = secondPage.body.data.authorizationLetters;
    expect(page2.edges).toHaveLength(1);
    expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: page2.edges[0].cursor });
    expect([...ids(firstPage), ...ids(secondPage)].sort()).toEqual([...approvedIds].sort());

    const open = await list({ status: ['SUBMITTED', 'REJECTED'] });
    expect(
      open.body.data.authorizationLetters.edges.map((e: { node: { id: string; status: string } }) => [e.node.id, e.node.status]).sort(),
    ).toEqual(
      [
        [pending.id, 'SUBMITTED'],
        [denied.id, 'REJECTED'],
      ].sort(),
    );
    expect((await list({ status: ['REVOKED'] })).body.data.authorizationLetters).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });
});
