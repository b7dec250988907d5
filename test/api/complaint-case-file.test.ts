import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBrand } from '../support/brand-operations.js';
import {
  ANSWER_INFORMATION_REQUEST,
  APPEAL_DECISION,
  CASE_FILE_BY_ID,
  CLAIM_COMPLAINT,
  DECIDE_COMPLAINT,
  FILE_COMPLAINT,
  REQUEST_COMPLAINT_INFORMATION,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  WITHDRAW_COMPLAINT,
  addPhoto,
  photo,
  send,
} from '../support/complaint-operations.js';
import { waitForCoupon } from '../support/complaint-journey.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// The case file a reviewer decides with, and who else may read which part of
// it; the request-for-more-information and listing-URL inputs as callers send them.
let stack: Stack;
let reviewer: Actor;
let otherReviewer: Actor;
let admin: Actor;
let sample: File;

beforeAll(async () => {
  stack = await startStack({ worker: true, config: { OPEN_COMPLAINTS_MAX_PER_CONSUMER: '1000' } });
  [reviewer, otherReviewer, admin, sample] = await Promise.all([
    actor(stack, 'reviewer', ['REVIEWER']),
    actor(stack, 'reviewer-2', ['REVIEWER']),
    actor(stack, 'admin', ['ADMIN']),
    photo(21),
  ]);
});

afterAll(async () => {
  await stack?.close();
});

/** A GraphQL error's code, or OK with no errors and no userErrors, or the userErrors' codes. */
async function outcome(mutation: string, who: Actor | null, input: Record<string, unknown>): Promise<string> {
  const res = await stack.gql(mutation, { input }, who ? { token: who.token } : {});
  if (res.body.errors) return res.body.errors[0]?.extensions?.code ?? 'ERROR';
  const payload = Object.values(res.body.data)[0] as { userErrors: Array<{ code: string }> };
  return payload.userErrors.length === 0 ? 'OK' : payload.userErrors.map((e) => e.code).join(',');
}

async function ok(mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(stack, mutation, who, input);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(payload.userErrors).toEqual([]);
  return payload;
}

async function file(consumer: Actor, storeId: string, extra: Record<string, unknown> = {}) {
  const payload = await ok(FILE_COMPLAINT, consumer, {
    storeId,
    orderReference: unique('ORD'),
    description: 'The wallet arrived with a crooked logo.',
    ...extra,
  });
  return payload.complaint.id as string;
}

/** Filed with a photo, submitted, answered and claimed by `by`. */
async function underReview(consumer: Actor, merchant: Actor, storeId: string, by = reviewer, extra: Record<string, unknown> = {}) {
  const complaintId = await file(consumer, storeId, extra);
  expect((await addPhoto(stack, consumer, complaintId, sample)).body.data.addEvidence.userErrors).toEqual([]);
  await ok(SUBMIT_COMPLAINT, consumer, { complaintId });
  await ok(RESPOND_TO_COMPLAINT, merchant, { complaintId, statement: 'Our stock comes from the brand.' });
  await ok(CLAIM_COMPLAINT, by, { complaintId });
  return complaintId;
}

const caseFileAs = async (who: Actor, complaintId: string) => {
  const res = await stack.gql(CASE_FILE_BY_ID, { id: complaintId }, { token: who.token });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.node;
};

describe('the context of a complaint', () => {
  interface Cast {
    consumer: Actor;
    merchant: Actor;
    brandMember: Actor;
    complaintId: string;
    earlierCounterfeitId: string;
    storeId: string;
  }
  let cast: Cast;

  // The consumer filed three complaints: one upheld against this store, one
  // not upheld against another, and the one under review; the store has had a
  // withdrawn complaint from someone else before.
  beforeAll(async () => {
    const [consumer, otherConsumer, merchant, otherMerchant, brandMember] = await Promise.all([
      actor(stack, 'consumer', ['CONSUMER']),
      actor(stack, 'other-consumer', ['CONSUMER']),
      actor(stack, 'merchant', ['MERCHANT']),
      actor(stack, 'other-merchant', ['MERCHANT']),
      actor(stack, 'brand-member', ['BRAND']),
    ]);
    const [store, otherStore, brand] = await Promise.all([
      createStore(stack, merchant),
      createStore(stack, otherMerchant),
      registerBrand(stack, brandMember.token, unique('brand')),
    ]);
    const withdrawn = await file(otherConsumer, store.id);
    await ok(WITHDRAW_COMPLAINT, otherConsumer, { complaintId: withdrawn });
    const earlierCounterfeitId = await underReview(consumer, merchant, store.id);
    await ok(DECIDE_COMPLAINT, reviewer, { complaintId: earlierCounterfeitId, verdict: 'COUNTERFEIT', note: 'The logo does not match.' });
    await waitForCoupon(stack, { rowId: rowId(earlierCounterfeitId) } as Parameters<typeof waitForCoupon>[1]);
    const notUpheld = await underReview(consumer, otherMerchant, otherStore.id);
    await ok(DECIDE_COMPLAINT, reviewer, { complaintId: notUpheld, verdict: 'NOT_COUNTERFEIT', note: 'The invoice checks out.' });
    const complaintId = await file(consumer, store.id, { brandId: brand.id });
    cast = { consumer, merchant, brandMember, complaintId, earlierCounterfeitId, storeId: store.id };
  });

  it("shows reviewers and admins the store's history and the complainant's record", async () => {
    for (const who of [reviewer, admin]) {
      const view = await caseFileAs(who, cast.complaintId);
      expect(view.storeHistory).toEqual({
        activeStrikes: 1,
        warningCount: 1,
        rescindedWarningCount: 0,
        warnings: [expect.objectContaining({ strikeNumber: 1, rescindedAt: null })],
        earlierComplaintCount: 2,
        earlierComplaints: [{ id: cast.earlierCounterfeitId, verdict: 'COUNTERFEIT' }, expect.objectContaining({ verdict: null })],
        earlierVerdicts: { counterfeit: 1, notCounterfeit: 0, insufficientEvidence: 0, undecided: 1 },
      });
      expect(view.complainantRecord).toEqual({ complaintsFiled: 3, decided: 2, upheld: 1, upheldShare: 0.5, withdrawn: 0, expired: 0 });
    }
  });

  it('costs the same queries for a page of three complaints as for two: no query per complaint', async () => {
    const PAGE = /* GraphQL */ `
      query ($first: Int!, $storeId: ID!) {
        complaints(first: $first, filter: { storeId: $storeId }) {
          edges {
            node {
              id
              storeHistory {
                activeStrikes
                warningCount
                warnings {
                  id
                }
                earlierComplaintCount
                earlierComplaints {
                  id
                }
                earlierVerdicts {
                  counterfeit
                }
              }
              complainantRecord {
                complaintsFiled
                upheldShare
              }
            }
          }
        }
      }
    `;
    const statements = async (first: number) => {
      stack.sql.length = 0;
      const res = await stack.gql(PAGE, { first, storeId: cast.storeId }, { token: reviewer.token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.complaints.edges).toHaveLength(first);
      return stack.sql.length;
    };
    // Two complaints already reach every query (one has earlier complaints, the store has a warning).
    const two = await statements(2);
    expect(await statements(3)).toBe(two);
    expect(two).toBeLessThanOrEqual(16);
    const page = await stack.gql(PAGE, { first: 3, storeId: cast.storeId }, { token: reviewer.token });
    const histories = page.body.data.complaints.edges.map(
      (e: { node: { storeHistory: { earlierComplaintCount: number } } }) => e.node.storeHistory.earlierComplaintCount,
    );
    expect(histories).toEqual([0, 1, 2]);
  });

  it("shows the store's owner their store's history but not the complainant's record", async () => {
    const view = await caseFileAs(cast.merchant, cast.complaintId);
    expect(view.storeHistory).toMatchObject({ warningCount: 1, earlierComplaintCount: 2 });
    expect(view.complainantRecord).toBeNull();
  });

  it("shows the consumer and the brand's members neither record", async () => {
    for (const who of [cast.consumer, cast.brandMember]) {
      const view = await caseFileAs(who, cast.complaintId);
      expect(view.id).toBe(cast.complaintId);
      expect(view.storeHistory).toBeNull();
      expect(view.complainantRecord).toBeNull();
    }
  });

  it('counts only complaints filed before this one as the store’s earlier ones', async () => {
    const view = await caseFileAs(reviewer, cast.earlierCounterfeitId);
    expect(view.storeHistory).toMatchObject({ earlierComplaintCount: 1, earlierVerdicts: { undecided: 1, counterfeit: 0 } });
  });
});

describe('requestComplaintInformation', () => {
  let consumer: Actor;
  let merchant: Actor;
  let storeId: string;
  beforeAll(async () => {
    [consumer, merchant] = await Promise.all([actor(stack, 'consumer', ['CONSUMER']), actor(stack, 'merchant', ['MERCHANT'])]);
    storeId = (await createStore(stack, merchant)).id;
  });

  it('is for the reviewer who claimed the complaint only', async () => {
    const complaintId = await underReview(consumer, merchant, storeId);
    const input = { complaintId, side: 'MERCHANT', note: 'The invoice, please.' };
    expect(await outcome(REQUEST_COMPLAINT_INFORMATION, null, input)).toBe('UNAUTHENTICATED');
    for (const who of [consumer, merchant, otherReviewer, admin])
      expect(await outcome(REQUEST_COMPLAINT_INFORMATION, who, input)).toBe('FORBIDDEN');
    expect(await outcome(REQUEST_COMPLAINT_INFORMATION, reviewer, input)).toBe('OK');
    // One request at a time.
    expect(await outcome(REQUEST_COMPLAINT_INFORMATION, reviewer, { ...input, side: 'CONSUMER' })).toBe('NOT_ALLOWED_IN_STATE');
  });

  it('needs a note and a deadline in the allowed range', async () => {
    const complaintId = await underReview(consumer, merchant, storeId);
    const { res, payload } = await send(stack, REQUEST_COMPLAINT_INFORMATION, reviewer, {
      complaintId,
      side: 'CONSUMER',
      note: '  ',
      dueAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(res.body.errors).toBeUndefined();
    expect(payload.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'note'], message: 'Say what you need: a request for more information needs a note.' },
      { code: 'INVALID', field: ['input', 'dueAt'], message: 'The deadline must be in the future and at most 14 days from now.' },
    ]);
    const tooFar = new Date(Date.now() + 15 * 86_400_000).toISOString();
    expect(await outcome(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId, side: 'CONSUMER', note: 'Label?', dueAt: tooFar })).toBe(
      'INVALID',
    );
    const dueAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await ok(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId, side: 'CONSUMER', note: 'Label?', dueAt });
    const view = await caseFileAs(reviewer, complaintId);
    expect(view.deadlines.informationDueAt).toBe(dueAt);
    expect(view.informationRequests).toEqual([expect.objectContaining({ side: 'CONSUMER', note: 'Label?', dueAt, open: true })]);
  });

  it('is refused before review and after the decision', async () => {
    const filed = await file(consumer, storeId);
    expect(await outcome(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId: filed, side: 'CONSUMER', note: 'Label?' })).toBe(
      'NOT_ALLOWED_IN_STATE',
    );
    const decided = await underReview(consumer, merchant, storeId);
    await ok(DECIDE_COMPLAINT, reviewer, { complaintId: decided, verdict: 'INSUFFICIENT_EVIDENCE', note: 'Unclear photos.' });
    expect(await outcome(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId: decided, side: 'CONSUMER', note: 'Label?' })).toBe(
      'NOT_ALLOWED_IN_STATE',
    );
  });
});

describe('answerInformationRequest', () => {
  it('is for the side asked only, while the request is open', async () => {
    const [consumer, merchant, brandMember] = await Promise.all([
      actor(stack, 'consumer', ['CONSUMER']),
      actor(stack, 'merchant', ['MERCHANT']),
      actor(stack, 'brand-member', ['BRAND']),
    ]);
    const [store, brand] = await Promise.all([createStore(stack, merchant), registerBrand(stack, brandMember.token, unique('brand'))]);
    const complaintId = await underReview(consumer, merchant, store.id, reviewer, { brandId: brand.id });
    const answer = { complaintId, statement: 'Here it is.' };
    expect(await outcome(ANSWER_INFORMATION_REQUEST, merchant, answer)).toBe('NOT_ALLOWED_IN_STATE');
    await ok(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId, side: 'MERCHANT', note: 'The invoice, please.' });
    for (const who of [consumer, brandMember, reviewer]) expect(await outcome(ANSWER_INFORMATION_REQUEST, who, answer)).toBe('FORBIDDEN');
    expect(await outcome(ANSWER_INFORMATION_REQUEST, merchant, { complaintId, statement: 'x'.repeat(5001) })).toBe('LIMIT_EXCEEDED');
    expect(await outcome(ANSWER_INFORMATION_REQUEST, merchant, answer)).toBe('OK');
    expect(await outcome(ANSWER_INFORMATION_REQUEST, merchant, answer)).toBe('NOT_ALLOWED_IN_STATE');
  });
});

describe('a withdrawal while a request is open', () => {
  it('ends the request with the complaint', async () => {
    const [consumer, merchant] = await Promise.all([actor(stack, 'consumer', ['CONSUMER']), actor(stack, 'merchant', ['MERCHANT'])]);
    const complaintId = await underReview(consumer, merchant, (await createStore(stack, merchant)).id);
    await ok(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId, side: 'MERCHANT', note: 'The invoice, please.' });
    await ok(WITHDRAW_COMPLAINT, consumer, { complaintId });
    const view = await caseFileAs(reviewer, complaintId);
    expect(view).toMatchObject({ status: 'WITHDRAWN', deadlines: { informationDueAt: null } });
    expect(view.informationRequests).toEqual([expect.objectContaining({ side: 'MERCHANT', open: false })]);
    expect(await outcome(ANSWER_INFORMATION_REQUEST, merchant, { complaintId, statement: 'Here it is.' })).toBe('NOT_ALLOWED_IN_STATE');
    const row = await stack.db.complaint.findUniqueOrThrow({ where: { id: rowId(complaintId) } });
    expect(row.informationDueAt).toBeNull();
  });
});

describe('the appeal reason', () => {
  it('is shown on the complaint to both sides', async () => {
    const [consumer, merchant] = await Promise.all([actor(stack, 'consumer', ['CONSUMER']), actor(stack, 'merchant', ['MERCHANT'])]);
    const complaintId = await underReview(consumer, merchant, (await createStore(stack, merchant)).id);
    await ok(DECIDE_COMPLAINT, reviewer, { complaintId, verdict: 'NOT_COUNTERFEIT', note: 'The invoice checks out.' });
    expect((await caseFileAs(consumer, complaintId)).appealReason).toBeNull();
    await ok(APPEAL_DECISION, consumer, { complaintId, reason: 'The stitching differs from the original.' });
    for (const who of [consumer, merchant, reviewer])
      expect(await caseFileAs(who, complaintId)).toMatchObject({
        appealReason: 'The stitching differs from the original.',
        appealedByRole: 'CONSUMER',
      });
  });
});

describe('a listing URL', () => {
  let consumer: Actor;
  let storeId: string;
  beforeAll(async () => {
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    consumer = await actor(stack, 'consumer', ['CONSUMER']);
    storeId = (await createStore(stack, merchant)).id;
  });

  it('is kept and shown when it is an http(s) address', async () => {
    const complaintId = await file(consumer, storeId, { listingUrl: '  https://shop.example/item/123?ref=ad  ' });
    expect((await caseFileAs(consumer, complaintId)).listingUrl).toBe('https://shop.example/item/123?ref=ad');
    const without = await file(consumer, storeId, { listingUrl: '' });
    expect((await caseFileAs(consumer, without)).listingUrl).toBeNull();
  });

  it('is refused with a userError naming the field otherwise', async () => {
    const attempt = async (listingUrl: string) => {
      const { res, payload } = await send(stack, FILE_COMPLAINT, consumer, {
        storeId,
        orderReference: 'ORD-7',
        description: 'The wallet arrived with a crooked logo.',
        listingUrl,
      });
      expect(res.body.errors).toBeUndefined();
      expect(payload.complaint).toBeNull();
      return payload.userErrors;
    };
    const invalid = {
      code: 'INVALID',
      field: ['input', 'listingUrl'],
      message: 'The listing URL must be a web address starting with http:// or https://, e.g. https://shop.example/item/123.',
    };
    for (const url of ['javascript:alert(1)', 'ftp://shop.example/item', 'shop.example/item', 'data:text/html,hi'])
      expect(await attempt(url), url).toEqual([invalid]);
    expect(await attempt('https://user:secret@shop.example/item')).toEqual([
      { code: 'INVALID', field: ['input', 'listingUrl'], message: 'The listing URL may not hold a user name or password.' },
    ]);
    expect(await attempt(`https://shop.example/${'a'.repeat(2100)}`)).toEqual([
      {
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'listingUrl'],
        message: 'The listing URL has at most 2048 characters; this one has 2121.',
      },
    ]);
  });
});
