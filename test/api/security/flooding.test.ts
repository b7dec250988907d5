import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REGISTER_BRAND, REVIEW_TRADEMARK, registerBrand, submitTrademark } from '../../support/brand-operations.js';
import { approvedLetter, letterInput, submitLetter } from '../../support/authorization-chain.js';
import {
  ADD_EVIDENCE,
  APPEAL_DECISION,
  CLAIM_COMPLAINT,
  DECIDE_COMPLAINT,
  FILE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  WITHDRAW_COMPLAINT,
  addPhoto,
  fileComplaint,
  photo,
  send,
} from '../../support/complaint-operations.js';
import { CONFIRM_LETTER, REVIEW_LETTER, REVOKE_LETTER } from '../../support/letter-operations.js';
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
import { DOCUMENT_PREFIXES, EVIDENCE_PREFIXES, objectKeys, strayObjects } from '../../support/stored-objects.js';

// Flooding: what one caller can make the service store or decode is bounded.
// Each attack is refused with a userError naming the field, and nothing is
// written: no row, no object, no workflow step.

// Small caps keep the attacks short; the defaults (10 photos a side, 5 open
// complaints) are checked in test/unit/flooding-limits.test.ts.
const LIMITS = {
  EVIDENCE_MAX_PER_SIDE: '2',
  OPEN_COMPLAINTS_MAX_PER_CONSUMER: '2',
  COMPENSATION_CURRENCIES: 'USD,EUR,JPY',
  COMPENSATION_MAX_AMOUNT: 'USD:100,EUR:100,JPY:15000',
  IMAGE_DECODE_CONCURRENCY: '2',
};

let stack: Stack;
let reviewer: Actor;
let merchant: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true, config: LIMITS });
  [reviewer, merchant] = await Promise.all([actor(stack, 'reviewer', ['REVIEWER']), actor(stack, 'merchant', ['MERCHANT'])]);
});

afterAll(async () => {
  await stack?.close();
});

const consumer = () => actor(stack, 'consumer', ['CONSUMER']);
const evidenceRows = (complaintId: string, uploadedByRole?: 'CONSUMER' | 'MERCHANT') =>
  stack.db.evidence.count({ where: { complaintId: rowId(complaintId), ...(uploadedByRole ? { uploadedByRole } : {}) } });
const complaintRow = (complaintId: string) => stack.db.complaint.findUniqueOrThrow({ where: { id: rowId(complaintId) } });

async function ok(mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(stack, mutation, who, input);
  expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
  expect(payload.userErrors).toEqual([]);
  return payload;
}

/** A complaint taken to UNDER_REVIEW, claimed by the reviewer. */
async function underReview(by: Actor, storeOwner: Actor = merchant) {
  const complaint = await fileComplaint(stack, by, (await createStore(stack, storeOwner)).id);
  expect((await addPhoto(stack, by, complaint.id)).body.data.addEvidence.userErrors).toEqual([]);
  await ok(SUBMIT_COMPLAINT, by, { complaintId: complaint.id });
  await ok(RESPOND_TO_COMPLAINT, storeOwner, { complaintId: complaint.id, statement: 'Our stock comes from the brand.' });
  await ok(CLAIM_COMPLAINT, reviewer, { complaintId: complaint.id });
  return complaint;
}

describe('photos per complaint and side', () => {
  const capReached = (side: string) => ({
    evidence: null,
    userErrors: [
      {
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'photo'],
        message: `A complaint takes at most 2 photos from each side, and the ${side}'s side has 2 already.`,
      },
    ],
  });

  it('refuses a photo past the cap, and stores nothing of it', async () => {
    const filer = await consumer();
    const complaint = await fileComplaint(stack, filer, (await createStore(stack, merchant)).id);
    for (const seed of [1, 2])
      expect((await addPhoto(stack, filer, complaint.id, await photo(seed))).body.data.addEvidence.userErrors).toEqual([]);

    const keysBefore = await objectKeys(stack, EVIDENCE_PREFIXES);
    const res = await addPhoto(stack, filer, complaint.id, await photo(3));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { addEvidence: capReached('consumer') } });
    expect(await evidenceRows(complaint.id)).toBe(2);
    expect(await strayObjects(stack, keysBefore, EVIDENCE_PREFIXES)).toEqual([]);
    expect((await complaintRow(complaint.id)).status).toBe('AWAITING_EVIDENCE');
  });

  it('holds when the uploads arrive at once', async () => {
    const filer = await consumer();
    const complaint = await fileComplaint(stack, filer, (await createStore(stack, merchant)).id);
    const file = await photo(4);
    const keysBefore = await objectKeys(stack, EVIDENCE_PREFIXES);
    const results = await Promise.all(Array.from({ length: 5 }, () => addPhoto(stack, filer, complaint.id, file)));
    const payloads = results.map((r) => r.body.data.addEvidence);
    expect(payloads.filter((p) => p.evidence !== null)).toHaveLength(2);
    expect(payloads.filter((p) => p.evidence === null)).toEqual(Array.from({ length: 3 }, () => capReached('consumer')));
    expect(await evidenceRows(complaint.id)).toBe(2);
    expect(await strayObjects(stack, keysBefore, EVIDENCE_PREFIXES)).toEqual([]);
  });

  it("counts the merchant's side apart from the consumer's", async () => {
    const filer = await consumer();
    const complaint = await fileComplaint(stack, filer, (await createStore(stack, merchant)).id);
    for (const seed of [5, 6])
      expect((await addPhoto(stack, filer, complaint.id, await photo(seed))).body.data.addEvidence.userErrors).toEqual([]);
    await ok(SUBMIT_COMPLAINT, filer, { complaintId: complaint.id });
    for (const seed of [7, 8])
      expect((await addPhoto(stack, merchant, complaint.id, await photo(seed))).body.data.addEvidence.userErrors).toEqual([]);

    const keysBefore = await objectKeys(stack, EVIDENCE_PREFIXES);
    const res = await addPhoto(stack, merchant, complaint.id, await photo(9));
    expect(res.body).toEqual({ data: { addEvidence: capReached('merchant') } });
    expect([await evidenceRows(complaint.id, 'CONSUMER'), await evidenceRows(complaint.id, 'MERCHANT')]).toEqual([2, 2]);
    expect(await strayObjects(stack, keysBefore, EVIDENCE_PREFIXES)).toEqual([]);
  });

  it('decodes many photos uploaded at once, each in its turn', async () => {
    // IMAGE_DECODE_CONCURRENCY=2: eight uploads queue for two decoders, and every one is processed.
    const filers = await Promise.all(Array.from({ length: 8 }, () => consumer()));
    const store = await createStore(stack, merchant);
    const complaints = await Promise.all(filers.map((filer) => fileComplaint(stack, filer, store.id)));
    const file = await photo(10, 2000, 1500);
    const results = await Promise.all(filers.map((filer, i) => addPhoto(stack, filer, complaints[i]!.id, file)));
    expect(results.map((r) => r.body.data.addEvidence.evidence?.width)).toEqual(Array.from({ length: 8 }, () => 2000));
    for (const complaint of complaints) expect(await evidenceRows(complaint.id)).toBe(1);
  });
});

describe('open complaints per consumer', () => {
  const fileInput = (storeId: string) => ({
    storeId,
    orderReference: unique('ORD'),
    description: 'The sneakers arrived with a misspelt logo.',
  });
  const capReached = {
    complaint: null,
    userErrors: [
      {
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'storeId'],
        message: 'You have 2 open complaints, the most at once; file this one when one of them is decided, withdrawn or expired.',
      },
    ],
  };
  const complaintsOf = async (who: Actor) =>
    stack.db.complaint.findMany({ where: { consumer: { subject: who.subject } }, include: { events: true } });

  it('refuses one more while the cap is reached, and takes it once one is withdrawn', async () => {
    const filer = await consumer();
    const store = await createStore(stack, merchant);
    const [first] = [await fileComplaint(stack, filer, store.id), await fileComplaint(stack, filer, store.id)];

    const res = await stack.gql(FILE_COMPLAINT, { input: fileInput(store.id) }, { token: filer.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { fileComplaint: capReached } });
    const filed = await complaintsOf(filer);
    expect(filed).toHaveLength(2);
    expect(filed.flatMap((c) => c.events.map((e) => e.type))).toEqual(['FILED', 'FILED']);

    await ok(WITHDRAW_COMPLAINT, filer, { complaintId: first!.id });
    const again = await stack.gql(FILE_COMPLAINT, { input: fileInput(store.id) }, { token: filer.token });
    expect(again.body.data.fileComplaint).toMatchObject({ complaint: { status: 'AWAITING_EVIDENCE' }, userErrors: [] });
  });

  it('holds when filings race', async () => {
    const filer = await consumer();
    const store = await createStore(stack, merchant);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => stack.gql(FILE_COMPLAINT, { input: fileInput(store.id) }, { token: filer.token })),
    );
    const payloads = results.map((r) => r.body.data.fileComplaint);
    expect(payloads.filter((p) => p.complaint !== null)).toHaveLength(2);
    expect(payloads.filter((p) => p.complaint === null)).toEqual(Array.from({ length: 3 }, () => capReached));
    expect(await complaintsOf(filer)).toHaveLength(2);
  });
});

describe('text lengths', () => {
  let brandOwner: Actor;
  let brand: { id: string };
  let store: { id: string };
  let badgeId: string;
  let approved: { id: string };
  let submitted: { id: string };

  beforeAll(async () => {
    brandOwner = await actor(stack, 'brand-owner', ['BRAND', 'MERCHANT']);
    brand = await verifiedBrand(stack, brandOwner, reviewer);
    store = await createStore(stack, brandOwner);
    const issued = await stack.gql(
      REQUEST_OFFICIAL_BADGE,
      { input: { storeId: store.id, brandId: brand.id } },
      { token: brandOwner.token },
    );
    badgeId = issued.body.data.requestOfficialBadge.badge.id;
    const reseller = await actor(stack, 'reseller', ['MERCHANT']);
    approved = await approvedLetter(stack, { owner: reseller, reviewer }, (await createStore(stack, reseller)).id, brand.id);
    const res = await submitLetter(stack, reseller, letterInput((await createStore(stack, reseller)).id, brand.id));
    submitted = res.body.data.submitAuthorizationLetter.letter;
  });

  const tooLong = (entity: string, field: string[], label: string, max: number) => ({
    [entity]: null,
    userErrors: [{ code: 'LIMIT_EXCEEDED', field, message: `${label} has at most ${max} characters; this one has ${max + 1} characters.` }],
  });
  const text = (n: number) => 'x'.repeat(n);

  it('registerBrand: a name over 120 characters', async () => {
    const slug = unique('long-name');
    const res = await stack.gql(REGISTER_BRAND, { input: { name: text(121), slug } }, { token: brandOwner.token });
    expect(res.body).toEqual({ data: { registerBrand: tooLong('brand', ['input', 'name'], 'A brand name', 120) } });
    expect(await stack.db.brand.count({ where: { slug } })).toBe(0);
  });

  it('createStore: a name over 120 characters', async () => {
    const before = await stack.db.store.count({ where: { owner: { subject: merchant.subject } } });
    const res = await stack.gql(CREATE_STORE, { input: { name: text(121) } }, { token: merchant.token });
    expect(res.body).toEqual({ data: { createStore: tooLong('store', ['input', 'name'], 'A store name', 120) } });
    expect(await stack.db.store.count({ where: { owner: { subject: merchant.subject } } })).toBe(before);
  });

  it.each([
    { name: 'registrationNumber', label: 'A registration number', max: 64 },
    { name: 'holderName', label: 'The holder name', max: 200 },
  ])('submitTrademark: $name over $max characters, with its certificate not stored', async ({ name, label, max }) => {
    const other = await registerBrand(stack, brandOwner.token, unique('brand'));
    const keysBefore = await objectKeys(stack, DOCUMENT_PREFIXES);
    const res = await submitTrademark(stack, brandOwner.token, other.id, { [name]: text(max + 1) });
    expect(res.body).toEqual({ data: { submitTrademark: tooLong('trademark', ['input', name], label, max) } });
    expect(await stack.db.trademark.count({ where: { brandId: rowId(other.id) } })).toBe(0);
    expect(await strayObjects(stack, keysBefore, DOCUMENT_PREFIXES)).toEqual([]);
  });

  it('reviewTrademark: a note over 2000 characters', async () => {
    const other = await registerBrand(stack, brandOwner.token, unique('brand'));
    const trademark = (await submitTrademark(stack, brandOwner.token, other.id)).body.data.submitTrademark.trademark;
    const res = await stack.gql(
      REVIEW_TRADEMARK,
      { input: { id: trademark.id, approve: false, note: text(2001) } },
      { token: reviewer.token },
    );
    expect(res.body).toEqual({ data: { reviewTrademark: tooLong('trademark', ['input', 'note'], 'A review note', 2000) } });
    expect(await stack.db.trademark.findUniqueOrThrow({ where: { id: rowId(trademark.id) } })).toMatchObject({
      status: 'SUBMITTED',
      reviewNote: null,
    });
  });

  it('submitAuthorizationLetter: a scope over 500 characters, with its letter not stored', async () => {
    const reseller = await actor(stack, 'reseller', ['MERCHANT']);
    const own = await createStore(stack, reseller);
    const keysBefore = await objectKeys(stack, DOCUMENT_PREFIXES);
    const res = await submitLetter(stack, reseller, letterInput(own.id, brand.id, { scope: text(501) }));
    expect(res.body).toEqual({ data: { submitAuthorizationLetter: tooLong('letter', ['input', 'scope'], 'The scope', 500) } });
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(own.id) } })).toBe(0);
    expect(await strayObjects(stack, keysBefore, DOCUMENT_PREFIXES)).toEqual([]);
  });

  it.each([
    {
      mutation: 'confirmAuthorization',
      query: CONFIRM_LETTER,
      by: 'brand',
      letter: () => submitted,
      input: (id: string) => ({ letterId: id, confirm: true, note: text(2001) }),
      name: 'note',
      label: 'A review note',
      max: 2000,
    },
    {
      mutation: 'reviewAuthorizationLetter',
      query: REVIEW_LETTER,
      by: 'reviewer',
      letter: () => submitted,
      input: (id: string) => ({ id, approve: false, note: text(2001) }),
      name: 'note',
      label: 'A review note',
      max: 2000,
    },
    {
      mutation: 'revokeAuthorization',
      query: REVOKE_LETTER,
      by: 'brand',
      letter: () => approved,
      input: (id: string) => ({ id, reason: text(1001) }),
      name: 'reason',
      label: 'A revocation reason',
      max: 1000,
    },
  ])(
    '$mutation: a $name over $max characters, and the letter unchanged',
    async ({ mutation, query, by, letter, input, name, label, max }) => {
      const id = letter().id;
      const before = await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(id) } });
      const res = await stack.gql(query, { input: input(id) }, { token: (by === 'brand' ? brandOwner : reviewer).token });
      expect(res.body).toEqual({ data: { [mutation]: tooLong('letter', ['input', name], label, max) } });
      expect(await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(id) } })).toEqual(before);
    },
  );

  it('revokeBadge: a reason over 1000 characters', async () => {
    const res = await stack.gql(REVOKE_BADGE, { input: { id: badgeId, reason: text(1001) } }, { token: reviewer.token });
    expect(res.body).toEqual({ data: { revokeBadge: tooLong('badge', ['input', 'reason'], 'A revocation reason', 1000) } });
    expect((await stack.db.badge.findUniqueOrThrow({ where: { id: rowId(badgeId) } })).status).toBe('ACTIVE');
  });

  it.each([
    { name: 'orderReference', label: 'The order reference', max: 100 },
    { name: 'description', label: 'The description', max: 5000 },
  ])('fileComplaint: $name over $max characters', async ({ name, label, max }) => {
    const filer = await consumer();
    const input = { storeId: store.id, orderReference: 'ORD-1', description: 'The logo is misspelt.', [name]: text(max + 1) };
    const res = await stack.gql(FILE_COMPLAINT, { input }, { token: filer.token });
    expect(res.body).toEqual({ data: { fileComplaint: tooLong('complaint', ['input', name], label, max) } });
    expect(await stack.db.complaint.count({ where: { consumer: { subject: filer.subject } } })).toBe(0);
  });

  it('addEvidence: a caption over 500 characters, with the photo not stored', async () => {
    const filer = await consumer();
    const complaint = await fileComplaint(stack, filer, store.id);
    const keysBefore = await objectKeys(stack, EVIDENCE_PREFIXES);
    const res = await stack.gql(
      ADD_EVIDENCE,
      { input: { complaintId: complaint.id, photo: null, caption: text(501) } },
      { token: filer.token, files: { 'input.photo': await photo(11) } },
    );
    expect(res.body).toEqual({ data: { addEvidence: tooLong('evidence', ['input', 'caption'], 'A caption', 500) } });
    expect(await evidenceRows(complaint.id)).toBe(0);
    expect(await strayObjects(stack, keysBefore, EVIDENCE_PREFIXES)).toEqual([]);
  });

  it('respondToComplaint, decideComplaint, appealDecision: a statement, note or reason too long, and the complaint unchanged', async () => {
    const filer = await consumer();
    const complaint = await fileComplaint(stack, filer, store.id);
    expect((await addPhoto(stack, filer, complaint.id)).body.data.addEvidence.userErrors).toEqual([]);
    await ok(SUBMIT_COMPLAINT, filer, { complaintId: complaint.id });

    const respond = await send(stack, RESPOND_TO_COMPLAINT, brandOwner, { complaintId: complaint.id, statement: text(5001) });
    expect(respond.payload).toEqual(tooLong('complaint', ['input', 'statement'], 'The statement', 5000));
    expect(await complaintRow(complaint.id)).toMatchObject({ status: 'AWAITING_MERCHANT_RESPONSE', merchantStatement: null });

    await ok(RESPOND_TO_COMPLAINT, brandOwner, { complaintId: complaint.id, statement: 'Genuine stock.' });
    await ok(CLAIM_COMPLAINT, reviewer, { complaintId: complaint.id });
    const decide = await send(stack, DECIDE_COMPLAINT, reviewer, {
      complaintId: complaint.id,
      verdict: 'NOT_COUNTERFEIT',
      note: text(5001),
    });
    expect(decide.payload).toEqual(tooLong('complaint', ['input', 'note'], 'A decision note', 5000));
    expect(await complaintRow(complaint.id)).toMatchObject({ status: 'UNDER_REVIEW', verdict: null, decisionNote: null });

    await ok(DECIDE_COMPLAINT, reviewer, { complaintId: complaint.id, verdict: 'NOT_COUNTERFEIT', note: 'Genuine.' });
    const appeal = await send(stack, APPEAL_DECISION, filer, { complaintId: complaint.id, reason: text(2001) });
    expect(appeal.payload).toEqual(tooLong('complaint', ['input', 'reason'], 'An appeal reason', 2000));
    expect((await complaintRow(complaint.id)).status).toBe('DECIDED');
  });
});

describe('compensation on decideComplaint', () => {
  it.each([
    [
      'more than the cap',
      { amount: '100.01', currency: 'USD' },
      'LIMIT_EXCEEDED',
      'amount',
      'A decision awards at most 100 USD; 100.01 is more.',
    ],
    [
      'more than the cap in yen',
      { amount: '15001', currency: 'JPY' },
      'LIMIT_EXCEEDED',
      'amount',
      'A decision awards at most 15000 JPY; 15001 is more.',
    ],
    [
      'a currency not configured',
      { amount: '10.00', currency: 'CHF' },
      'INVALID',
      'currency',
      'Compensation is paid in USD, EUR, JPY; CHF is not accepted.',
    ],
    ['decimals a currency has not', { amount: '500.50', currency: 'JPY' }, 'INVALID', 'amount', 'JPY amounts have no decimals.'],
    ['an amount that is not one', { amount: '1e9', currency: 'USD' }, 'INVALID', 'amount', 'The amount is a positive decimal like 25.00.'],
  ])('refuses %s, and decides nothing', async (_case, compensation, code, field, message) => {
    const complaint = await underReview(await consumer());
    const { res, payload } = await send(stack, DECIDE_COMPLAINT, reviewer, {
      complaintId: complaint.id,
      verdict: 'COUNTERFEIT',
      note: 'The logo does not match.',
      compensation,
    });
    expect(res.status).toBe(200);
    expect(payload).toEqual({ complaint: null, userErrors: [{ code, field: ['input', 'compensation', field], message }] });
    const row = await stack.db.complaint.findUniqueOrThrow({
      where: { id: rowId(complaint.id) },
      include: { events: true, coupon: true, warning: true },
    });
    expect(row).toMatchObject({ status: 'UNDER_REVIEW', verdict: null, coupon: null, warning: null, compensationAmount: null });
    expect(row.events.map((e) => e.type)).not.toContain('DECIDED');
  });

  it('awards an amount at the cap, in a configured currency', async () => {
    const complaint = await underReview(await consumer());
    await ok(DECIDE_COMPLAINT, reviewer, {
      complaintId: complaint.id,
      verdict: 'COUNTERFEIT',
      note: 'The logo does not match.',
      compensation: { amount: '100.00', currency: 'EUR' },
    });
    const coupon = await vi.waitFor(
      async () => {
        const found = await stack.db.coupon.findUnique({ where: { complaintId: rowId(complaint.id) } });
        if (!found) throw new Error('no coupon yet');
        return found;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect({ amount: coupon.amount.toFixed(2), currency: coupon.currency }).toEqual({ amount: '100.00', currency: 'EUR' });
  });
});
