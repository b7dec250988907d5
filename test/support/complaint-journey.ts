import { expect, vi } from 'vitest';
import { complaintWorkflowId } from '../../workflows/complaint.workflow.js';
import {
  APPEAL_DECISION,
  CLAIM_COMPLAINT,
  COMPLAINT_BY_ID,
  DECIDE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  addPhoto,
  fileComplaint,
  send,
} from './complaint-operations.js';
import { rowId, type Stack } from './stack.js';
import { actor, createStore, type Actor } from './store-operations.js';

// One complaint taken through every step that writes, the way fault tests
// drive it: filed with a photo, submitted, answered, claimed, decided
// COUNTERFEIT (a warning and a coupon follow), appealed by the store, claimed by
// a second reviewer and upheld, which closes it.

/** The steps a client takes, in order. */
export const JOURNEY_ACTIONS = ['submit', 'respond', 'claim', 'decide', 'appeal', 'claimAppeal', 'decideAppeal'] as const;
export type JourneyAction = (typeof JOURNEY_ACTIONS)[number];

export interface Reviewers {
  reviewer: Actor;
  appealReviewer: Actor;
}

export interface Journey {
  consumer: Actor;
  /** Owns the store; strikes count per owner, so each journey has its own. */
  merchant: Actor;
  complaintId: string;
  rowId: string;
  workflowId: string;
}

export async function fileJourney(stack: Stack, photo: File): Promise<Journey> {
  const consumer = await actor(stack, 'consumer', ['CONSUMER']);
  const merchant = await actor(stack, 'merchant', ['MERCHANT']);
  const store = await createStore(stack, merchant);
  const filed = await fileComplaint(stack, consumer, store.id);
  const added = await addPhoto(stack, consumer, filed.id, photo);
  expect(added.body.data?.addEvidence.userErrors, JSON.stringify(added.body)).toEqual([]);
  return { consumer, merchant, complaintId: filed.id, rowId: rowId(filed.id), workflowId: complaintWorkflowId(rowId(filed.id)) };
}

/** Polls until the complaint's coupon exists; the effects of a decision run after decideComplaint has answered. */
export const waitForCoupon = (stack: Stack, journey: Journey, timeout = 60_000) =>
  vi.waitFor(
    async () => {
      const coupon = await stack.db.coupon.findUnique({ where: { complaintId: journey.rowId } });
      if (!coupon) throw new Error(`no coupon yet for complaint ${journey.rowId}`);
      return coupon;
    },
    { timeout, interval: 100 },
  );

/** Takes one step as its client would, and expects it to be accepted. */
export async function takeAction(stack: Stack, journey: Journey, action: JourneyAction, { reviewer, appealReviewer }: Reviewers) {
  const complaintId = journey.complaintId;
  const upheld = { complaintId, verdict: 'COUNTERFEIT', note: 'The invoice is forged.' };
  const [mutation, who, input]: [string, Actor, Record<string, unknown>] = {
    submit: [SUBMIT_COMPLAINT, journey.consumer, { complaintId }],
    respond: [RESPOND_TO_COMPLAINT, journey.merchant, { complaintId, statement: 'Our stock comes from the brand.' }],
    claim: [CLAIM_COMPLAINT, reviewer, { complaintId }],
    decide: [
      DECIDE_COMPLAINT,
      reviewer,
      { complaintId, verdict: 'COUNTERFEIT', note: 'The logo does not match.', compensation: { amount: '15.00', currency: 'EUR' } },
    ],
    appeal: [APPEAL_DECISION, journey.merchant, { complaintId, reason: 'The invoice proves the stock is genuine.' }],
    claimAppeal: [CLAIM_COMPLAINT, appealReviewer, { complaintId }],
    decideAppeal: [DECIDE_COMPLAINT, appealReviewer, upheld],
  }[action] as [string, Actor, Record<string, unknown>];
  // The appeal waits for the decision's effects, so every journey's timeline has one order.
  if (action === 'appeal') await waitForCoupon(stack, journey);
  const { res, payload } = await send(stack, mutation, who, input);
  expect(res.body.errors, `${action}: ${JSON.stringify(res.body.errors)}`).toBeUndefined();
  expect(payload.userErrors, action).toEqual([]);
}

/** Takes the steps from `from` (inclusive) to `to` (exclusive) one after another. */
export async function takeActions(stack: Stack, journey: Journey, reviewers: Reviewers, from: number, to: number = JOURNEY_ACTIONS.length) {
  for (const action of JOURNEY_ACTIONS.slice(from, to)) await takeAction(stack, journey, action, reviewers);
}

/** Resolves with the complaint workflow's result once it has ended. */
export const journeyResult = (stack: Stack, journey: Journey) =>
  stack.runtime.temporal.client.workflow.getHandle(journey.workflowId).result() as Promise<string>;

/** What a journey left behind, to compare with an undisturbed one: everything here must come out the same. */
export async function journeyOutcome(stack: Stack, journey: Journey) {
  const res = await stack.gql(COMPLAINT_BY_ID, { id: journey.complaintId }, { token: journey.consumer.token });
  expect(res.body.errors).toBeUndefined();
  const view = res.body.data.node as {
    status: string;
    verdict: string | null;
    timeline: Array<{ type: string }>;
    warning: { strikeNumber: number } | null;
    coupon: { value: { amount: string; currency: string } } | null;
  };
  const complaintId = journey.rowId;
  const warnings = await stack.db.warning.findMany({ where: { complaintId } });
  const coupons = await stack.db.coupon.findMany({ where: { complaintId } });
  const audits = await stack.db.auditEvent.findMany({
    where: { entityId: { in: [complaintId, ...warnings.map((w) => w.id), ...coupons.map((c) => c.id)] } },
    select: { action: true },
  });
  return {
    status: view.status,
    verdict: view.verdict,
    timeline: view.timeline.map((event) => event.type),
    strikeNumber: view.warning?.strikeNumber ?? null,
    coupon: view.coupon?.value ?? null,
    warnings: warnings.length,
    coupons: coupons.length,
    audits: audits.map((a) => a.action).sort(),
  };
}

/** When the activity with this id completed, as the workflow's history records it (ms since the epoch). */
export async function activityCompletedAt(stack: Stack, workflowId: string, activityId: string): Promise<number | undefined> {
  const events = (await stack.runtime.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId);
  const completed = events.find((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
  const at = completed?.eventTime;
  return at ? Number(at.seconds) * 1000 + Math.floor((at.nanos ?? 0) / 1e6) : undefined;
}

/** The attempt of that activity that completed. */
export async function completedAttempt(stack: Stack, workflowId: string, activityId: string): Promise<number | undefined> {
  const events = (await stack.runtime.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId);
  const started = events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
  return started?.activityTaskStartedEventAttributes?.attempt ?? undefined;
}

/** A complaint with its own consumer and store, filed with a photo, submitted, answered by the store and claimed by `reviewer`. */
export async function caseUnderReview(stack: Stack, reviewer: Actor, photo: File) {
  const journey = await fileJourney(stack, photo);
  await takeActions(stack, journey, { reviewer, appealReviewer: reviewer }, 0, JOURNEY_ACTIONS.indexOf('decide'));
  return journey;
}
