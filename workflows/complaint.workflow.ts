import type { UpdateDefinition } from '@temporalio/common';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ComplaintActivities, TransitionFields } from '../src/activities/complaint-activities.js';
import { applyDecisionEffects } from './complaint-effects.js';
import {
  REFUSAL_TYPES,
  addEvidenceUpdate,
  answerInformationRequestUpdate,
  appealDecisionUpdate,
  claimComplaintUpdate,
  complaintStateQuery,
  decideComplaintUpdate,
  evidenceAddedSignal,
  fileComplaintUpdate,
  requestInformationUpdate,
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
import {
  EVIDENCE_SIDES,
  checkCommand,
  openComplaintsLimitMessage,
  type EvidenceSide,
  type PartySide,
  type Refusal,
  type RulesCommand,
  type RulesLimits,
  type Transition,
} from './complaint-rules.js';

const activities = proxyActivities<ComplaintActivities>({
  // Each activity is a short database write; a worker that dies mid-write is noticed soon.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// An ApplicationFailure fails just the Update; a plain Error thrown in a
// handler would fail the workflow task and stall the complaint.
const refuse = (refusal: Refusal): never => {
  throw ApplicationFailure.nonRetryable(refusal.message, REFUSAL_TYPES[refusal.kind]);
};
const at = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

/**
 * One per complaint, and the single writer of its state: the filing, every
 * photo and every transition is an Update (checked by the complaint rules
 * before it is recorded, and again when it takes its turn) or a deadline, and
 * is written to the database by an idempotent activity. Warnings and coupons
 * are made exactly once by database uniqueness, so retries and worker deaths are safe.
 *
 * Returns the status it ended in, or null when the filing was refused.
 */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintStatus | null> {
  const { complaintId, consumerId, storeOwnerId, timings } = input;
  // Complaints are now started by their filing Update, before their row
  // exists; complaints started by earlier versions found their row written.
  const filedByUpdate = patched('complaint-filed-by-update');
  // Reviewers ask one side for more information, and appellants add evidence,
  // in complaints started since; earlier ones keep the steps they were filed with.
  const caseFileSteps = patched('complaint-case-file-steps');
  // Complaints filed before the caps travelled in the input leave the cap to the API's check.
  const limits: RulesLimits = { evidencePerSide: input.limits?.evidencePerSide ?? Number.POSITIVE_INFINITY };
  const state: ComplaintState = {
    status: filedByUpdate ? null : 'AWAITING_EVIDENCE',
    evidence: { CONSUMER: 0, MERCHANT: 0, BRAND: 0 },
    assignedReviewerId: null,
    verdict: null,
    deciderIds: [],
    appealed: false,
    escalated: false,
    appealedBy: null,
    informationRequest: null,
  };
  let reviewDeadline = 0;
  let pendingDecision: { verdict: Verdict; compensation: Money | null; previous: Verdict | null } | null = null;
  let step = 0;
  let filing: 'AWAITED' | 'UNDERWAY' | 'REFUSED' = 'AWAITED';

  // Each write carries a key unique within this workflow, so a retried activity writes once.
  const nextKey = () => `${workflowInfo().runId}:${++step}`;
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
      dedupeKey: nextKey(),
    });

  /** The complaint rules' answer for this complaint as it stands; a refusal fails the Update. */
  const allowed = (actor: ComplaintActor, command: RulesCommand): Transition => {
    const outcome = checkCommand(
      {
        status: state.status,
        consumerId,
        storeOwnerId,
        assignedReviewerId: state.assignedReviewerId,
        deciderIds: state.deciderIds,
        appealed: state.appealed,
        verdict: state.verdict,
        evidence: state.evidence,
        appealedBy: state.appealedBy,
        informationRequest: state.informationRequest,
        caseFileSteps,
      },
      actor,
      command,
      limits,
    );
    return outcome.ok ? outcome.transition : refuse(outcome.refusal);
  };

  // Changes run one at a time: Updates re-check the rules once they hold the
  // turn (two reviewers claiming at once must not both apply, a photo must not
  // slip in after submission), and a deadline re-checks that nothing moved the
  // complaint while its timer fired.
  let turn: Promise<unknown> = Promise.resolve();
  let changesUnderway = 0;
  function inTurn<T>(change: () => Promise<T>): Promise<T> {
    changesUnderway += 1;
    const run = turn.then(change).finally(() => {
      changesUnderway -= 1;
    });
    turn = run.catch(() => undefined);
    return run;
  }
  function handleUpdate<Args extends [ComplaintActor, ...unknown[]]>(
    definition: UpdateDefinition<ComplaintStatus, Args>,
    command: (...args: NoInfer<Args>) => RulesCommand,
    apply: (transition: Transition, ...args: NoInfer<Args>) => Promise<void>,
  ): void {
    setHandler<ComplaintStatus, Args, UpdateDefinition<ComplaintStatus, Args>>(
      definition,
      (...args: Args) =>
        inTurn(async () => {
          await apply(allowed(args[0], command(...args)), ...args);
          return state.status as ComplaintStatus;
        }),
      {
        validator: (...args: Args) => {
          // A change underway may have committed its write, which callers already
          // see, before this state shows it (a deadline's expiry, say): the
          // Update then waits for its turn and is checked against the state
          // that change leaves.
          if (changesUnderway === 0) allowed(args[0], command(...args));
        },
      },
    );
  }

  setHandler(complaintStateQuery, () => state);
  setHandler(evidenceAddedSignal, ({ role }: { role: ActorRole }) => {
    if ((EVIDENCE_SIDES as string[]).includes(role)) state.evidence[role as EvidenceSide] += 1;
  });

  handleUpdate(
    fileComplaintUpdate,
    () => ({ kind: 'file' }),
    async (_transition, actor, filed) => {
      filing = 'UNDERWAY';
      const maxOpen = input.limits?.openComplaintsPerConsumer ?? Number.MAX_SAFE_INTEGER;
      const written = await activities.fileComplaint({
        complaintId,
        consumerId: actor.actorId,
        ...filed,
        filedAt: at(),
        evidenceDueAt: at(timings.evidenceWindowSeconds * 1000),
        maxOpen,
      });
      if (!written) {
        filing = 'REFUSED';
        refuse({ kind: 'LIMIT_EXCEEDED', message: openComplaintsLimitMessage(maxOpen) });
      }
      state.status = 'AWAITING_EVIDENCE';
    },
  );

  handleUpdate(
    addEvidenceUpdate,
    (_actor, upload) => ({ kind: 'addEvidence', side: upload.side }),
    async (_transition, actor, upload) => {
      await activities.recordEvidence({ complaintId, uploadedById: actor.actorId, ...upload });
      state.evidence[upload.side] += 1;
    },
  );

  handleUpdate(
    submitComplaintUpdate,
    () => ({ kind: 'submit' }),
    async (_transition, actor) => {
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
    () => ({ kind: 'respond' }),
    async (_transition, actor, statement) => {
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
    () => ({ kind: 'withdraw' }),
    async (_transition, actor) => {
      const from = state.status as ComplaintStatus;
      await write(
        'WITHDRAWN',
        [from],
        { type: 'WITHDRAWN', actor, message: 'The consumer withdrew the complaint.' },
        state.informationRequest ? { assignedReviewerId: null, informationDueAt: null } : { assignedReviewerId: null },
      );
      state.status = 'WITHDRAWN';
      state.informationRequest = null;
    },
  );

  handleUpdate(
    claimComplaintUpdate,
    () => ({ kind: 'claim' }),
    async (transition, actor) => {
      // The reviewer who holds the claim already: nothing to write.
      if (!transition.event) return;
      await write(
        null,
        [state.status as ComplaintStatus],
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
    () => ({ kind: 'decide' }),
    async (transition, actor, decision) => {
      const previous = state.verdict;
      const from = state.status as ComplaintStatus;
      const closes = transition.to === 'CLOSED';
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
    () => ({ kind: 'appeal' }),
    async (_transition, actor, reason) => {
      const appellant = actor.role as PartySide;
      await write(
        'APPEALED',
        ['DECIDED'],
        {
          type: 'APPEALED',
          actor,
          message: caseFileSteps ? `The ${sideName(appellant)} appealed the decision: ${reason}` : 'The decision was appealed.',
        },
        {
          appealedByRole: actor.role,
          appealReason: reason,
          assignedReviewerId: null,
          appealDueAt: null,
          reviewDueAt: at(timings.reviewSlaSeconds * 1000),
        },
      );
      state.appealed = true;
      state.appealedBy = appellant;
      state.status = 'APPEALED';
      reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
    },
  );

  handleUpdate(
    requestInformationUpdate,
    (_actor, request) => ({ kind: 'requestInformation', side: request.side }),
    async (_transition, actor, request) => {
      const reviewing = state.status as ComplaintStatus;
      await activities.openInformationRequest({
        complaintId,
        requestId: request.requestId,
        side: request.side,
        note: request.note,
        requestedById: actor.actorId,
        requestedAt: at(),
        dueAt: request.dueAt,
        from: [reviewing],
        event: {
          type: 'INFORMATION_REQUESTED',
          actorRole: actor.role,
          actorId: actor.actorId,
          message: `The reviewer asked the ${sideName(request.side)} for more information by ${request.dueAt}: ${request.note}`,
        },
        dedupeKey: nextKey(),
      });
      state.informationRequest = {
        requestId: request.requestId,
        side: request.side,
        dueAt: request.dueAt,
        evidenceBefore: state.evidence[request.side],
      };
    },
  );

  handleUpdate(
    answerInformationRequestUpdate,
    (_actor, answer) => ({ kind: 'answerInformation', withStatement: answer.statement !== null }),
    async (_transition, actor, answer) => {
      const request = state.informationRequest!;
      await activities.closeInformationRequest({
        complaintId,
        requestId: request.requestId,
        answer: { statement: answer.statement },
        at: at(),
        reviewDueAt: at(timings.reviewSlaSeconds * 1000),
        from: [state.status as ComplaintStatus],
        event: {
          type: 'INFORMATION_PROVIDED',
          actorRole: actor.role,
          actorId: actor.actorId,
          message: answer.statement
            ? `The ${sideName(request.side)} answered the request for more information: ${answer.statement}`
            : `The ${sideName(request.side)} answered the request for more information with photos.`,
        },
        dedupeKey: nextKey(),
      });
      state.informationRequest = null;
      reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
    },
  );

  // 0. The filing, for complaints started by it: written, or refused over the cap.
  if (filedByUpdate) {
    // The filing Update is sent with the start, so it is here at once unless the start was all that arrived.
    if (!(await condition(() => filing !== 'AWAITED', '1 minute'))) return null;
    await condition(() => state.status !== null || filing === 'REFUSED');
    if (state.status === null) {
      await condition(allHandlersFinished);
      return null;
    }
  }
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
    const request = state.informationRequest ?? null;
    const unchanged = () =>
      state.status === reviewing &&
      state.assignedReviewerId === claimedBy &&
      reviewDeadline === deadline &&
      (state.informationRequest ?? null) === request;
    // While one side is asked for more information, review waits for its answer until the request's own deadline.
    if (request) {
      if (await condition(() => !unchanged(), Math.max(1, Date.parse(request.dueAt) - Date.now()))) continue;
      await inTurn(async () => {
        if (!unchanged()) return;
        await activities.closeInformationRequest({
          complaintId,
          requestId: request.requestId,
          answer: null,
          at: at(),
          reviewDueAt: at(timings.reviewSlaSeconds * 1000),
          from: [reviewing],
          event: {
            type: 'INFORMATION_REQUEST_EXPIRED',
            actorRole: null,
            actorId: null,
            message: `The ${sideName(request.side)} did not answer the request for more information in time; review goes on without it.`,
          },
          dedupeKey: nextKey(),
        });
        state.informationRequest = null;
        reviewDeadline = Date.now() + timings.reviewSlaSeconds * 1000;
      });
      continue;
    }
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

const sideName = (side: PartySide) => (side === 'CONSUMER' ? 'consumer' : 'merchant');

export const complaintWorkflowId = (complaintId: string) => `complaint-${complaintId}`;
