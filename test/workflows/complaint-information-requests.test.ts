import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ANSWER_INFORMATION_REQUEST,
  APPEAL_DECISION,
  CASE_FILE_BY_ID,
  CLAIM_COMPLAINT,
  DECIDE_COMPLAINT,
  REQUEST_COMPLAINT_INFORMATION,
  addPhoto,
  photo,
  send,
} from '../support/complaint-operations.js';
import { caseUnderReview, waitForCoupon, type Journey } from '../support/complaint-journey.js';
import { startStack, type Stack } from '../support/stack.js';
import { actor, type Actor } from '../support/store-operations.js';

// A reviewer's request for more information is a step of the complaint's
// workflow: it re-opens the evidence window of the side asked, holds the
// decision and the review deadline until the answer comes or the request's own
// deadline passes. The stack keeps the default windows (days); the expiry test
// asks through a second API whose requests are due in a few seconds.
const SHORT_REQUEST_SECONDS = 3;

let stack: Stack;
let reviewer: Actor;
let appealReviewer: Actor;
let sample: File;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  [reviewer, appealReviewer, sample] = await Promise.all([
    actor(stack, 'reviewer', ['REVIEWER']),
    actor(stack, 'appeal-reviewer', ['REVIEWER']),
    photo(7),
  ]);
});

afterAll(async () => {
  await stack?.close();
});

interface CaseFile {
  status: string;
  appealReason: string | null;
  appealedByRole: string | null;
  deadlines: { reviewDueAt: string | null; informationDueAt: string | null };
  informationRequests: Array<{
    side: string;
    note: string;
    dueAt: string;
    open: boolean;
    answeredAt: string | null;
    statement: string | null;
    expiredAt: string | null;
  }>;
  timeline: Array<{ type: string; actorRole: string | null; message: string }>;
  evidence: Array<{ uploadedByRole: string }>;
}

async function caseFile(who: Actor, journey: Journey): Promise<CaseFile> {
  const res = await stack.gql(CASE_FILE_BY_ID, { id: journey.complaintId }, { token: who.token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node;
}

async function accepted(mutation: string, who: Actor, input: Record<string, unknown>, on: Stack = stack) {
  const { res, payload } = await send(on, mutation, who, input);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(payload.userErrors).toEqual([]);
  return payload.complaint;
}

async function refusedWith(mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(stack, mutation, who, input);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return payload.userErrors.map((e: { code: string }) => e.code);
}

const types = (file: CaseFile) => file.timeline.map((e) => e.type);

describe('a request for more information', () => {
  it('re-opens the evidence window of the side asked; its answer returns the complaint to review', async () => {
    const journey = await caseUnderReview(stack, reviewer, sample);
    const { complaintId } = journey;
    await accepted(REQUEST_COMPLAINT_INFORMATION, reviewer, {
      complaintId,
      side: 'MERCHANT',
      note: 'Please send the supplier invoice for this batch.',
    });

    const waiting = await caseFile(reviewer, journey);
    expect(waiting.status).toBe('UNDER_REVIEW');
    expect(waiting.deadlines.reviewDueAt).toBeNull();
    expect(waiting.deadlines.informationDueAt).not.toBeNull();
    expect(waiting.informationRequests).toEqual([
      expect.objectContaining({ side: 'MERCHANT', note: 'Please send the supplier invoice for this batch.', open: true, answeredAt: null }),
    ]);
    expect(waiting.timeline.at(-1)).toMatchObject({ type: 'INFORMATION_REQUESTED', actorRole: 'REVIEWER' });
    expect(waiting.timeline.at(-1)!.message).toContain('Please send the supplier invoice');

    // The decision waits for the answer, and only the side asked adds photos.
    expect(
      await refusedWith(DECIDE_COMPLAINT, reviewer, { complaintId, verdict: 'COUNTERFEIT', note: 'The logo does not match.' }),
    ).toEqual(['NOT_ALLOWED_IN_STATE']);
    const fromConsumer = await addPhoto(stack, journey.consumer, complaintId, await photo(8));
    expect(fromConsumer.body.data.addEvidence.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_ALLOWED_IN_STATE']);
    const fromMerchant = await addPhoto(stack, journey.merchant, complaintId, await photo(9), 'The invoice');
    expect(fromMerchant.body.data.addEvidence.userErrors).toEqual([]);

    await accepted(ANSWER_INFORMATION_REQUEST, journey.merchant, { complaintId, statement: 'Invoice 2291 from the brand’s distributor.' });
    const answered = await caseFile(reviewer, journey);
    expect(answered.deadlines.informationDueAt).toBeNull();
    expect(answered.deadlines.reviewDueAt).not.toBeNull();
    expect(answered.informationRequests[0]).toMatchObject({ open: false, statement: 'Invoice 2291 from the brand’s distributor.' });
    expect(answered.informationRequests[0]!.answeredAt).not.toBeNull();
    expect(answered.evidence.map((e) => e.uploadedByRole)).toEqual(['CONSUMER', 'MERCHANT']);
    expect(types(answered).slice(-2)).toEqual(['INFORMATION_REQUESTED', 'INFORMATION_PROVIDED']);

    // The window closed again with the answer.
    const late = await addPhoto(stack, journey.merchant, complaintId, await photo(10));
    expect(late.body.data.addEvidence.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_ALLOWED_IN_STATE']);
    await accepted(DECIDE_COMPLAINT, reviewer, { complaintId, verdict: 'NOT_COUNTERFEIT', note: 'The invoice checks out.' });
  });

  it('can be answered with photos alone, once one was added since the request', async () => {
    const journey = await caseUnderReview(stack, reviewer, sample);
    const { complaintId } = journey;
    await accepted(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId, side: 'CONSUMER', note: 'A photo of the label, please.' });
    expect(await refusedWith(ANSWER_INFORMATION_REQUEST, journey.consumer, { complaintId })).toEqual(['NOT_ALLOWED_IN_STATE']);
    const added = await addPhoto(stack, journey.consumer, complaintId, await photo(11));
    expect(added.body.data.addEvidence.userErrors).toEqual([]);
    await accepted(ANSWER_INFORMATION_REQUEST, journey.consumer, { complaintId });
    const answered = await caseFile(reviewer, journey);
    expect(answered.informationRequests[0]).toMatchObject({ side: 'CONSUMER', open: false, statement: null });
    expect(answered.timeline.at(-1)).toMatchObject({ type: 'INFORMATION_PROVIDED', actorRole: 'CONSUMER' });
  });

  describe('whose deadline passes', () => {
    let shortRequests: Stack;
    beforeAll(async () => {
      shortRequests = await startStack({
        config: { TEMPORAL_TASK_QUEUE: stack.taskQueue, COMPLAINT_INFORMATION_WINDOW_SECONDS: String(SHORT_REQUEST_SECONDS) },
      });
    });
    afterAll(async () => {
      await shortRequests?.close();
    });

    it('expires, and review goes on without it', async () => {
      const journey = await caseUnderReview(stack, reviewer, sample);
      const { complaintId } = journey;
      await accepted(
        REQUEST_COMPLAINT_INFORMATION,
        reviewer,
        { complaintId, side: 'MERCHANT', note: 'The invoice, please.' },
        shortRequests,
      );
      const expired = await vi.waitFor(
        async () => {
          const file = await caseFile(reviewer, journey);
          expect(types(file).at(-1)).toBe('INFORMATION_REQUEST_EXPIRED');
          return file;
        },
        { timeout: SHORT_REQUEST_SECONDS * 1000 + 20_000, interval: 200 },
      );
      expect(expired.informationRequests[0]).toMatchObject({ open: false, answeredAt: null });
      expect(expired.informationRequests[0]!.expiredAt).not.toBeNull();
      expect(expired.deadlines).toMatchObject({ informationDueAt: null });
      expect(expired.deadlines.reviewDueAt).not.toBeNull();
      expect(expired.timeline.at(-1)).toMatchObject({ actorRole: null });

      expect(await refusedWith(ANSWER_INFORMATION_REQUEST, journey.merchant, { complaintId, statement: 'Too late.' })).toEqual([
        'NOT_ALLOWED_IN_STATE',
      ]);
      const late = await addPhoto(stack, journey.merchant, complaintId, await photo(12));
      expect(late.body.data.addEvidence.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_ALLOWED_IN_STATE']);
      await accepted(DECIDE_COMPLAINT, reviewer, { complaintId, verdict: 'INSUFFICIENT_EVIDENCE', note: 'Nothing came.' });
    });
  });
});

describe('an appeal', () => {
  it('shows its reason, takes evidence from the appellant only, and can ask for more information', async () => {
    const journey = await caseUnderReview(stack, reviewer, sample);
    const { complaintId } = journey;
    await accepted(DECIDE_COMPLAINT, reviewer, { complaintId, verdict: 'COUNTERFEIT', note: 'The logo does not match.' });
    await waitForCoupon(stack, journey);
    // No evidence before the appeal, from either side.
    const early = await addPhoto(stack, journey.merchant, complaintId, await photo(13));
    expect(early.body.data.addEvidence.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_ALLOWED_IN_STATE']);

    await accepted(APPEAL_DECISION, journey.merchant, { complaintId, reason: 'The batch number matches the brand’s register.' });
    const appealed = await caseFile(journey.consumer, journey);
    expect(appealed).toMatchObject({
      status: 'APPEALED',
      appealReason: 'The batch number matches the brand’s register.',
      appealedByRole: 'MERCHANT',
    });
    expect(appealed.timeline.at(-1)).toMatchObject({ type: 'APPEALED', actorRole: 'MERCHANT' });
    expect(appealed.timeline.at(-1)!.message).toContain('The batch number matches the brand’s register.');

    const fromAppellant = await addPhoto(stack, journey.merchant, complaintId, await photo(14), 'The register entry');
    expect(fromAppellant.body.data.addEvidence.userErrors).toEqual([]);
    const fromOtherSide = await addPhoto(stack, journey.consumer, complaintId, await photo(15));
    expect(fromOtherSide.body.data.addEvidence.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_ALLOWED_IN_STATE']);

    await accepted(CLAIM_COMPLAINT, appealReviewer, { complaintId });
    await accepted(REQUEST_COMPLAINT_INFORMATION, appealReviewer, { complaintId, side: 'CONSUMER', note: 'Where was it bought?' });
    await accepted(ANSWER_INFORMATION_REQUEST, journey.consumer, { complaintId, statement: 'From the listing linked above.' });
    await accepted(DECIDE_COMPLAINT, appealReviewer, { complaintId, verdict: 'NOT_COUNTERFEIT', note: 'The register entry is genuine.' });
    const closed = await caseFile(appealReviewer, journey);
    expect(closed.status).toBe('CLOSED');
    expect(types(closed).slice(-5)).toEqual(['APPEALED', 'CLAIMED', 'INFORMATION_REQUESTED', 'INFORMATION_PROVIDED', 'APPEAL_DECIDED']);
    expect(closed.evidence.map((e) => e.uploadedByRole)).toEqual(['CONSUMER', 'MERCHANT']);
    const after = await addPhoto(stack, journey.merchant, complaintId, await photo(16));
    expect(after.body.data.addEvidence.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_ALLOWED_IN_STATE']);
  });
});
