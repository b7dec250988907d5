import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ComplaintActivities, TransitionFields } from '../src/activities/complaint-activities.js';
import { applyDecisionEffects } from './complaint-effects.js';
import { PARTY_REVIEWER_MESSAGE, partyOf } from './complaint-parties.js';
import {
  REFUSAL_TYPES,
  appealDecisionUpdate,
  claimComplaintUpdate,
  complaintStateQuery,
  decideComplaintUpdate,
  evidenceAddedSignal,
  respondToComplaintUpdate,
  submitComplaintUpdate,
  withdrawComplaintUpdate,
  type ActorRole,
  type ComplaintActor,
  type ComplaintState,
  type ComplaintStatus,
  type ComplaintWorkflowInput,
  type Money,
  type Verdict,
} from './complaint-messages.js';

const activities = proxyActivities<ComplaintActivities>({
  // Each activity is a short database write; a worker that dies mid-write is noticed soon.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// An ApplicationFailure fails just the Update; a plain Error thrown in a
// handler would fail the workflow task and stall the complaint.
const refuse = (message: string): never => {
  throw ApplicationFailure.nonRetryable(message, REFUSAL_TYPES.notAllowedInState);
};
const forbid = (message: string): never => {
  throw ApplicationFailure.nonRetryable(message, REFUSAL_TYPES.forbidden);
};
const at = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

/**
 * One per complaint, and the single writer of its state: every transition is
 * an Update (validated before it is recorded) or a deadline, and is written to
 * the database by an idempotent activity. Warnings and coupons are made
 * exactly once by database uniqueness, so retries and worker deaths are safe.
 */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintStatus> {
  const { complaintId, consumerId, storeOwnerId, timings } = input;
  const state: ComplaintState = {
    status: 'AWAITING_EVIDENCE',
    consumerEvidence: 0,
    assignedReviewerId: null,
    verdict: null,
    deciderIds: [],
    appealed: false,
    escalated: false,
  };
  let reviewDeadline = 0;
  let pendingDecision: { verdict: Verdict; compensation: Money | null; previous: Verdict | null } | null = null;
  let step = 0;

  // Each write carries a key unique within this workflow, so a retried activity writes once.
  const write = (
    to: ComplaintStatus | null,
    from: ComplaintStatus[],
    event: { type: string; actor?: ComplaintActor; message: string },
    set: TransitionFields = {},
  ) =>
    activities.applyTransition({
      complaintId,
      from,
      to,
      set,
      event: { type: event.type, actorRole: event.actor?.role ?? null, actorId: event.actor?.actorId ?? null, message: event.message },
      dedupeKey: `${workflowInfo().runId}:${++step}`,
    });

  // Changes run one at a time: Updates re-check their rule once they hold the
  // turn (two reviewers claiming at once must not both apply), and a deadline
  // re-checks that nothing moved the complaint while its timer fired.
  let turn: Promise<unknown> = Promise.resolve();
  function inTurn<T>(change: () => Promise<T>): Promise<T> {
    const run = turn.then(change);
    turn = run.catch(() => undefined);
    return run;
  }
  function handleUpdate<Args extends unknown[]>(
    definition: UpdateDefinition<ComplaintStatus, Args>,
    validate: (actor: ComplaintActor) => void,
    apply: (...args: NoInfer<Args>) => Promise<void>,
  ): void {
    setHandler<ComplaintStatus, Args, UpdateDefinition<ComplaintStatus, Args>>(
      definition,
      (...args: Args) =>
        inTurn(async () => {
          validate(args[0] as ComplaintActor);
          await apply(...args);
          return state.status;
        }),
      { validator: (...args: Args) => validate(args[0] as ComplaintActor) },
    );
  }

  setHandler(complaintStateQuery, () => state);
  setHandler(evidenceAddedSignal, ({ role }: { role: ActorRole }) => {
    if (role === 'CONSUMER') state.consumerEvidence += 1;
  });

  handleUpdate(
    submitComplaintUpdate,
    (actor) => {
      if (actor.actorId !== consumerId) forbid('Only the consumer who filed the complaint submits it.');
      if (state.status !== 'AWAITING_EVIDENCE') refuse(`The complaint is ${state.status}, not AWAITING_EVIDENCE.`);
      if (state.consumerEvidence < 1) refuse('Add at least one photo before submitting.');
    },
    async (actor) => {
      await write(
        'AWAITING_MERCHANT_RESPONSE',
        ['AWAITING_EVIDENCE'],
        { type: 'SUBMITTED', actor, message: 'The consumer submitted the complaint.' },
        {
          merchantResponseDueAt: at(timings.merchantWindowSeconds * 1000),
        },
      );
      state.status = 'AWAITING_MERCHANT_RESPONSE';
    },
  );

  handleUpdate(
    respondToComplaintUpdate,
    (actor) => {
      if (actor.actorId !== storeOwnerId) forbid("Only the store's owner answers the complaint.");
      if (state.status !== 'AWAITING_MERCHANT_RESPONSE') refuse(`The complaint is ${state.status}; the response window is closed.`);
    },
    async (actor, statement) => {
      await write(
        'UNDER_REVIEW',
        ['AWAITING_MERCHANT_RESPONSE'],
        { type: 'MERCHANT_RESPONDED', actor, message: 'The store answered with a statement.' },
        {
          merchantStatement: statement,
          reviewDueAt: at(timings.reviewSlaSeconds * 1000),
        },
      );
      reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
      state.status = 'UNDER_REVIEW';
    },
  );

  handleUpdate(
    withdrawComplaintUpdate,
    (actor) => {
      if (actor.actorId !== consumerId) forbid('Only the consumer who filed the complaint withdraws it.');
      if (!['AWAITING_EVIDENCE', 'AWAITING_MERCHANT_RESPONSE', 'UNDER_REVIEW'].includes(state.status))
        refuse(`The complaint is ${state.status}; it can be withdrawn only before a decision.`);
    },
    async (actor) => {
      const from = state.status;
      await write(
        'WITHDRAWN',
        [from],
        { type: 'WITHDRAWN', actor, message: 'The consumer withdrew the complaint.' },
        { assignedReviewerId: null },
      );
      state.status = 'WITHDRAWN';
    },
  );

  handleUpdate(
    claimComplaintUpdate,
    (actor) => {
      if (actor.role !== 'REVIEWER') forbid('Only reviewers claim complaints.');
      if (partyOf(input, actor.actorId)) forbid(PARTY_REVIEWER_MESSAGE);
      if (state.status !== 'UNDER_REVIEW' && state.status !== 'APPEALED')
        refuse(`The complaint is ${state.status}, not waiting for a reviewer.`);
      if (state.assignedReviewerId && state.assignedReviewerId !== actor.actorId) refuse('Another reviewer has claimed the complaint.');
      if (state.status === 'APPEALED' && state.deciderIds.includes(actor.actorId)) refuse('An appeal is decided by a different reviewer.');
    },
    async (actor) => {
      if (state.assignedReviewerId === actor.actorId) return;
      await write(
        null,
        [state.status],
        { type: 'CLAIMED', actor, message: 'A reviewer claimed the complaint.' },
        {
          assignedReviewerId: actor.actorId,
          reviewDueAt: at(timings.reviewSlaSeconds * 1000),
        },
      );
      state.assignedReviewerId = actor.actorId;
      reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
    },
  );

  handleUpdate(
    decideComplaintUpdate,
    (actor) => {
      if (state.status !== 'UNDER_REVIEW' && state.status !== 'APPEALED') refuse(`The complaint is ${state.status}, not under review.`);
      if (state.assignedReviewerId !== actor.actorId) forbid('Only the reviewer who claimed the complaint decides it.');
      if (partyOf(input, actor.actorId)) forbid(PARTY_REVIEWER_MESSAGE);
    },
    async (actor, decision) => {
      const previous = state.verdict;
      const from = state.status;
      const closes = from === 'APPEALED';
      const compensation = decision.verdict === 'COUNTERFEIT' ? decision.compensation : null;
      await write(
        closes ? 'CLOSED' : 'DECIDED',
        [from],
        {
          type: closes ? 'APPEAL_DECIDED' : 'DECIDED',
          actor,
          message: `The reviewer decided: ${decision.verdict}.`,
        },
        {
          verdict: decision.verdict,
          decisionNote: decision.note,
          decidedById: actor.actorId,
          assignedReviewerId: null,
          decidedAt: at(),
          compensationAmount: compensation?.amount ?? null,
          compensationCurrency: compensation?.currency ?? null,
          reviewDueAt: null,
          appealDueAt: closes ? null : at(timings.appealWindowSeconds * 1000),
        },
      );
      state.verdict = decision.verdict;
      state.deciderIds.push(actor.actorId);
      state.assignedReviewerId = null;
      state.status = closes ? 'CLOSED' : 'DECIDED';
      pendingDecision = { verdict: decision.verdict, compensation, previous };
    },
  );

  handleUpdate(
    appealDecisionUpdate,
    (actor) => {
      if (state.status !== 'DECIDED') refuse(`The complaint is ${state.status}; only a decision can be appealed.`);
      if (state.appealed) refuse('A decision can be appealed once.');
      const loser = state.verdict === 'COUNTERFEIT' ? storeOwnerId : consumerId;
      if (actor.actorId !== loser) forbid('Only the side that lost may appeal.');
    },
    async (actor, reason) => {
      await write(
        'APPEALED',
        ['DECIDED'],
        { type: 'APPEALED', actor, message: 'The decision was appealed.' },
        {
          appealedByRole: actor.role,
          appealReason: reason,
          assignedReviewerId: null,
          appealDueAt: null,
          reviewDueAt: at(timings.reviewSlaSeconds * 1000),
        },
      );
      state.appealed = true;
      state.status = 'APPEALED';
      reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
    },
  );

  // 1. Evidence window.
  if (!(await condition(() => state.status !== 'AWAITING_EVIDENCE', timings.evidenceWindowSeconds * 1000))) {
    await inTurn(async () => {
      if (state.status !== 'AWAITING_EVIDENCE') return;
      await write(
        'EXPIRED',
        ['AWAITING_EVIDENCE'],
        { type: 'EXPIRED', message: 'No evidence was submitted in time.' },
        { evidenceDueAt: null },
      );
      state.status = 'EXPIRED';
    });
  }
  // 2. Merchant response window.
  if (
    state.status === 'AWAITING_MERCHANT_RESPONSE' &&
    !(await condition(() => state.status !== 'AWAITING_MERCHANT_RESPONSE', timings.merchantWindowSeconds * 1000))
  ) {
    await inTurn(async () => {
      if (state.status !== 'AWAITING_MERCHANT_RESPONSE') return;
      await write(
        'UNDER_REVIEW',
        ['AWAITING_MERCHANT_RESPONSE'],
        { type: 'RESPONSE_WINDOW_CLOSED', message: 'The store did not answer in time.' },
        { reviewDueAt: at(timings.reviewSlaSeconds * 1000) },
      );
      state.status = 'UNDER_REVIEW';
      reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
    });
  }

  // 3. Review, then the appeal window and a possible second review.
  while (state.status === 'UNDER_REVIEW' || state.status === 'APPEALED' || state.status === 'DECIDED') {
    if (state.status === 'DECIDED') {
      await takeDecisionEffects();
      if (!(await condition(() => state.status !== 'DECIDED', timings.appealWindowSeconds * 1000))) {
        await inTurn(async () => {
          if (state.status !== 'DECIDED') return;
          await write('CLOSED', ['DECIDED'], { type: 'CLOSED', message: 'The appeal window ended.' }, { appealDueAt: null });
          state.status = 'CLOSED';
        });
      }
      continue;
    }
    const reviewing = state.status;
    const claimedBy = state.assignedReviewerId;
    const deadline = reviewDeadline;
    const unchanged = () => state.status === reviewing && state.assignedReviewerId === claimedBy && reviewDeadline === deadline;
    if (await condition(() => !unchanged(), Math.max(1, deadline - Date.now()))) continue;
    await inTurn(async () => {
      if (!unchanged()) return;
      await write(
        null,
        [reviewing],
        { type: 'ESCALATED', message: 'No decision within the review deadline: the claim is released and the complaint escalated.' },
        { assignedReviewerId: null, escalated: true, reviewDueAt: at(timings.reviewSlaSeconds * 1000) },
      );
      state.assignedReviewerId = null;
      state.escalated = true;
      reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
    });
  }
  await takeDecisionEffects();
  return state.status;

  function takeDecisionEffects(): Promise<void> {
    const decision = pendingDecision;
    pendingDecision = null;
    return decision ? applyDecisionEffects(complaintId, timings, decision) : Promise.resolve();
  }
}

export const complaintWorkflowId = (complaintId: string) => `complaint-${complaintId}`;
