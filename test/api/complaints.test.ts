import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APPEAL_DECISION,
  CLAIM_COMPLAINT,
  COMPLAINT_BY_ID,
  DECIDE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  addPhoto,
  fileComplaint,
  photo,
  send,
} from '../support/complaint-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

let stack: Stack;
let consumer: Actor;
let merchant: Actor;
let brandOwner: Actor;
let reviewer: Actor;
let secondReviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  consumer = await actor(stack, 'consumer', ['CONSUMER']);
  merchant = await actor(stack, 'merchant', ['MERCHANT']);
  brandOwner = await actor(stack, 'brand-owner', ['BRAND']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  secondReviewer = await actor(stack, 'reviewer-2', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

describe('a complaint from filing to coupon', () => {
  it('runs through evidence, the merchant answer, review, a COUNTERFEIT decision, an overturning appeal, and closes', async () => {
    const brand = await verifiedBrand(stack, brandOwner, reviewer);
    const store = await createStore(stack, merchant, 'Bags Galore');
    const filed = await fileComplaint(stack, consumer, store.id, brand.id);
    expect(filed.status).toBe('AWAITING_EVIDENCE');

    const tooEarly = await send(stack, SUBMIT_COMPLAINT, consumer, { complaintId: filed.id });
    expect(tooEarly.payload.userErrors).toEqual([
      { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'complaintId'], message: 'Add at least one photo before submitting.' },
    ]);

    const added = await addPhoto(stack, consumer, filed.id, await photo(3), 'Logo close-up');
    expect(added.body.errors).toBeUndefined();
    expect(added.body.data.addEvidence).toMatchObject({
      evidence: { uploadedByRole: 'CONSUMER', caption: 'Logo close-up', contentType: 'image/jpeg', width: 800, height: 600 },
      userErrors: [],
    });
    expect(added.body.data.addEvidence.evidence.perceptualHash).toMatch(/^[0-9a-f]{16}$/);

    const submitted = await send(stack, SUBMIT_COMPLAINT, consumer, { complaintId: filed.id });
    expect(submitted.payload.userErrors).toEqual([]);
    expect(submitted.payload.complaint.status).toBe('AWAITING_MERCHANT_RESPONSE');
    expect(submitted.payload.complaint.deadlines.merchantResponseDueAt).not.toBeNull();

    const responded = await send(stack, RESPOND_TO_COMPLAINT, merchant, {
      complaintId: filed.id,
      statement: 'We buy from the brand directly.',
    });
    expect(responded.payload.complaint).toMatchObject({ status: 'UNDER_REVIEW', merchantStatement: 'We buy from the brand directly.' });

    const claimed = await send(stack, CLAIM_COMPLAINT, reviewer, { complaintId: filed.id });
    expect(claimed.payload.complaint.assignedReviewer).not.toBeNull();
    const decided = await send(stack, DECIDE_COMPLAINT, reviewer, {
      complaintId: filed.id,
      verdict: 'COUNTERFEIT',
      note: 'Logo and stitching do not match.',
      compensation: { amount: '35.50', currency: 'EUR' },
    });
    expect(decided.payload.complaint).toMatchObject({
      status: 'DECIDED',
      verdict: 'COUNTERFEIT',
      decisionNote: 'Logo and stitching do not match.',
    });

    // The coupon is issued by an activity after decideComplaint returns.
    const view = await vi.waitFor(
      async () => {
        const res = await stack.gql(COMPLAINT_BY_ID, { id: filed.id }, { token: consumer.token });
        expect(res.body.data.node.coupon).toMatchObject({ value: { amount: '35.50', currency: 'EUR' } });
        return res.body.data.node;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(view.warning).toMatchObject({ strikeNumber: 1 });

    const appeal = await send(stack, APPEAL_DECISION, merchant, { complaintId: filed.id, reason: 'Invoice from the brand attached.' });
    expect(appeal.payload.complaint.status).toBe('APPEALED');
    const sameReviewer = await send(stack, CLAIM_COMPLAINT, reviewer, { complaintId: filed.id });
    expect(sameReviewer.payload.userErrors).toMatchObject([
      { code: 'NOT_ALLOWED_IN_STATE', message: 'An appeal is decided by a different reviewer.' },
    ]);
    await send(stack, CLAIM_COMPLAINT, secondReviewer, { complaintId: filed.id });
    const final = await send(stack, DECIDE_COMPLAINT, secondReviewer, {
      complaintId: filed.id,
      verdict: 'NOT_COUNTERFEIT',
      note: 'The invoice checks out.',
    });
    expect(final.payload.complaint).toMatchObject({ status: 'CLOSED', verdict: 'NOT_COUNTERFEIT' });

    const rescindedAt = async () => (await stack.db.warning.findUniqueOrThrow({ where: { complaintId: rowId(filed.id) } })).rescindedAt;
    await expect.poll(rescindedAt, { timeout: 15_000, interval: 100 }).not.toBeNull();
    expect(await stack.db.coupon.count({ where: { complaintId: rowId(filed.id) } })).toBe(1);
    const closed = await stack.gql(COMPLAINT_BY_ID, { id: filed.id }, { token: consumer.token });
    expect(closed.body.data.node.timeline.map((e: { type: string }) => e.type)).toEqual([
      'FILED',
      'SUBMITTED',
      'MERCHANT_RESPONDED',
      'CLAIMED',
      'DECIDED',
      'APPEALED',
      'CLAIMED',
      'APPEAL_DECIDED',
    ]);
  });
});
