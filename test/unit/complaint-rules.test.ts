import {
  ActivityFailure,
  ApplicationFailure,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors.js';
import { outcomeOfFailure } from '../../src/temporal/complaint-gateway.js';
import type { ComplaintStatus } from '../../workflows/complaint-messages.js';
import {
  INFORMATION_REQUEST_OPEN_MESSAGE,
  PARTY_REVIEWER_MESSAGE,
  checkCommand,
  deadlineShown,
  evidenceLimitMessage,
  type EvidenceSide,
  type RulesActor,
  type RulesCommand,
  type RulesState,
} from '../../workflows/complaint-rules.js';
import { consequenceOfStrike, storesStaySuspended } from '../../workflows/strike-policy.js';

// Every status × command × role against the complaint rules, as the workflow
// and the API ask them. The reviewer has claimed the complaint under review;
// the first decision (NOT_COUNTERFEIT, so the consumer lost) was made by the
// other reviewer, so the appeal (the consumer's) went to the reviewer. No
// request for more information is open unless a test opens one.

const LIMITS = { evidencePerSide: 2 };
const ROLES = {
  consumer: { actorId: 'consumer', role: 'CONSUMER' },
  merchant: { actorId: 'owner', role: 'MERCHANT' },
  brandMember: { actorId: 'brand-member', role: 'BRAND' },
  reviewer: { actorId: 'reviewer', role: 'REVIEWER' },
  otherReviewer: { actorId: 'other-reviewer', role: 'REVIEWER' },
  partyReviewer: { actorId: 'consumer', role: 'REVIEWER' },
} as const satisfies Record<string, RulesActor>;
type Who = keyof typeof ROLES;
const WHO = Object.keys(ROLES) as Who[];

const STATUSES = [
  null,
  'AWAITING_EVIDENCE',
  'AWAITING_MERCHANT_RESPONSE',
  'UNDER_REVIEW',
  'DECIDED',
  'APPEALED',
  'CLOSED',
  'WITHDRAWN',
  'EXPIRED',
] as const satisfies ReadonlyArray<ComplaintStatus | null>;
type Status = (typeof STATUSES)[number];

function stateIn(status: Status): RulesState {
  const decided = status === 'DECIDED' || status === 'APPEALED' || status === 'CLOSED';
  return {
    status,
    consumerId: 'consumer',
    storeOwnerId: 'owner',
    assignedReviewerId: status === 'UNDER_REVIEW' || status === 'APPEALED' ? 'reviewer' : null,
    deciderIds: decided ? ['other-reviewer'] : [],
    appealed: status === 'APPEALED' || status === 'CLOSED',
    verdict: decided ? 'NOT_COUNTERFEIT' : null,
    evidence: { CONSUMER: status === null ? 0 : 1, MERCHANT: 0, BRAND: 0 },
    appealedBy: status === 'APPEALED' || status === 'CLOSED' ? 'CONSUMER' : null,
    informationRequest: null,
  };
}

const SIDE_OF: Record<Who, EvidenceSide> = {
  consumer: 'CONSUMER',
  merchant: 'MERCHANT',
  brandMember: 'BRAND',
  reviewer: 'CONSUMER',
  otherReviewer: 'CONSUMER',
  partyReviewer: 'CONSUMER',
};
const COMMANDS: Array<[RulesCommand['kind'], (who: Who) => RulesCommand]> = [
  ['file', () => ({ kind: 'file' })],
  ['addEvidence', (who) => ({ kind: 'addEvidence', side: SIDE_OF[who] })],
  ['submit', () => ({ kind: 'submit' })],
  ['respond', () => ({ kind: 'respond' })],
  ['withdraw', () => ({ kind: 'withdraw' })],
  ['claim', () => ({ kind: 'claim' })],
  ['decide', () => ({ kind: 'decide' })],
  ['appeal', () => ({ kind: 'appeal' })],
  ['requestInformation', () => ({ kind: 'requestInformation', side: 'MERCHANT' })],
  ['answerInformation', () => ({ kind: 'answerInformation', withStatement: true })],
];

const S = {
  AE: 'AWAITING_EVIDENCE',
  AMR: 'AWAITING_MERCHANT_RESPONSE',
  UR: 'UNDER_REVIEW',
  DEC: 'DECIDED',
  APP: 'APPEALED',
} as const;
const OPEN = [S.AE, S.AMR, S.UR, S.APP];

/**
 * The expected outcome: where the role is allowed (the target status, or
 * 'stays'), NOT_ALLOWED_IN_STATE in every other status where the role may act
 * at all, FORBIDDEN where it never may.
 */
type Expectation = { allowed: Partial<Record<NonNullable<Status> | 'NOT_FILED', string>> } | 'FORBIDDEN' | 'NEVER_NOW';
const EXPECTED: Record<RulesCommand['kind'], Record<Who, Expectation>> = {
  file: {
    consumer: { allowed: { NOT_FILED: S.AE } },
    merchant: 'FORBIDDEN',
    brandMember: 'FORBIDDEN',
    reviewer: 'FORBIDDEN',
    otherReviewer: 'FORBIDDEN',
    partyReviewer: 'FORBIDDEN',
  },
  addEvidence: {
    // Before submission, and during the appeal the consumer made.
    consumer: { allowed: { [S.AE]: 'stays', [S.APP]: 'stays' } },
    merchant: { allowed: { [S.AMR]: 'stays' } },
    brandMember: { allowed: Object.fromEntries(OPEN.map((s) => [s, 'stays'])) },
    reviewer: 'FORBIDDEN',
    otherReviewer: 'FORBIDDEN',
    partyReviewer: 'FORBIDDEN',
  },
  submit: {
    consumer: { allowed: { [S.AE]: S.AMR } },
    merchant: 'FORBIDDEN',
    brandMember: 'FORBIDDEN',
    reviewer: 'FORBIDDEN',
    otherReviewer: 'FORBIDDEN',
    partyReviewer: 'FORBIDDEN',
  },
  respond: {
    consumer: 'FORBIDDEN',
    merchant: { allowed: { [S.AMR]: S.UR } },
    brandMember: 'FORBIDDEN',
    reviewer: 'FORBIDDEN',
    otherReviewer: 'FORBIDDEN',
    partyReviewer: 'FORBIDDEN',
  },
  withdraw: {
    consumer: { allowed: { [S.AE]: 'WITHDRAWN', [S.AMR]: 'WITHDRAWN', [S.UR]: 'WITHDRAWN' } },
    merchant: 'FORBIDDEN',
    brandMember: 'FORBIDDEN',
    reviewer: 'FORBIDDEN',
    otherReviewer: 'FORBIDDEN',
    partyReviewer: 'FORBIDDEN',
  },
  claim: {
    consumer: 'FORBIDDEN',
    merchant: 'FORBIDDEN',
    brandMember: 'FORBIDDEN',
    // Holds the claim already: allowed, and nothing to write.
    reviewer: { allowed: { [S.UR]: 'stays', [S.APP]: 'stays' } },
    otherReviewer: 'NEVER_NOW',
    partyReviewer: 'FORBIDDEN',
  },
  decide: {
    consumer: 'FORBIDDEN',
    merchant: 'FORBIDDEN',
    brandMember: 'FORBIDDEN',
    reviewer: { allowed: { [S.UR]: S.DEC, [S.APP]: 'CLOSED' } },
    // Not the claimer: FORBIDDEN while the complaint is reviewed, not allowed in any other state.
    otherReviewer: { allowed: {} },
    partyReviewer: 'FORBIDDEN',
  },
  appeal: {
    consumer: { allowed: { [S.DEC]: S.APP } },
    // The winner: FORBIDDEN while a decision stands, not allowed in any other state.
    merchant: { allowed: {} },
    brandMember: 'FORBIDDEN',
    reviewer: 'FORBIDDEN',
    otherReviewer: 'FORBIDDEN',
    partyReviewer: 'FORBIDDEN',
  },
  requestInformation: {
    consumer: 'FORBIDDEN',
    merchant: 'FORBIDDEN',
    brandMember: 'FORBIDDEN',
    reviewer: { allowed: { [S.UR]: 'stays', [S.APP]: 'stays' } },
    // Not the claimer: FORBIDDEN while the complaint is reviewed, not allowed in any other state.
    otherReviewer: { allowed: {} },
    partyReviewer: 'FORBIDDEN',
  },
  // No request is open in these states: the parties may answer one only while it is.
  answerInformation: {
    consumer: 'NEVER_NOW',
    merchant: 'NEVER_NOW',
    brandMember: 'FORBIDDEN',
    reviewer: 'FORBIDDEN',
    otherReviewer: 'FORBIDDEN',
    partyReviewer: 'FORBIDDEN',
  },
};

/** Where a role that may act at all is FORBIDDEN anyway: it is not the one this state waits for. */
const FORBIDDEN_IN: Partial<Record<RulesCommand['kind'], Partial<Record<Who, Status[]>>>> = {
  decide: { otherReviewer: [S.UR, S.APP] },
  appeal: { merchant: [S.DEC] },
  requestInformation: { otherReviewer: [S.UR, S.APP] },
};

const outcomeName = (status: Status, who: Who, command: RulesCommand) => {
  const outcome = checkCommand(stateIn(status), ROLES[who], command, LIMITS);
  return outcome.ok ? (outcome.transition.to ?? 'stays') : outcome.refusal.kind;
};

function expectedName(kind: RulesCommand['kind'], who: Who, status: Status): string {
  const expectation = EXPECTED[kind][who];
  if (expectation === 'FORBIDDEN') return 'FORBIDDEN';
  if (expectation === 'NEVER_NOW') return 'NOT_ALLOWED_IN_STATE';
  if (FORBIDDEN_IN[kind]?.[who]?.includes(status)) return 'FORBIDDEN';
  return expectation.allowed[status ?? 'NOT_FILED'] ?? 'NOT_ALLOWED_IN_STATE';
}

describe('the complaint rules', () => {
  for (const [kind, command] of COMMANDS) {
    it(`${kind}: every status and role`, () => {
      const table = (answer: (status: Status, who: Who) => string) =>
        Object.fromEntries(
          STATUSES.map((status) => [status ?? 'NOT_FILED', Object.fromEntries(WHO.map((who) => [who, answer(status, who)]))]),
        );
      expect(table((status, who) => outcomeName(status, who, command(who)))).toEqual(
        table((status, who) => expectedName(kind, who, status)),
      );
    });
  }

  it('keep the messages callers are shown', () => {
    const message = (status: Status, who: Who, command: RulesCommand, state = stateIn(status)) => {
      const outcome = checkCommand(state, ROLES[who], command, LIMITS);
      return outcome.ok ? 'OK' : outcome.refusal.message;
    };
    expect(message(S.AE, 'consumer', { kind: 'submit' }, { ...stateIn(S.AE), evidence: { CONSUMER: 0, MERCHANT: 0, BRAND: 0 } })).toBe(
      'Add at least one photo before submitting.',
    );
    expect(message(S.UR, 'merchant', { kind: 'respond' })).toBe('The complaint is UNDER_REVIEW; the response window is closed.');
    expect(message(S.DEC, 'consumer', { kind: 'withdraw' })).toBe('The complaint is DECIDED; it can be withdrawn only before a decision.');
    expect(message(S.UR, 'otherReviewer', { kind: 'decide' })).toBe('Only the reviewer who claimed the complaint decides it.');
    expect(message(S.UR, 'partyReviewer', { kind: 'claim' })).toBe(PARTY_REVIEWER_MESSAGE);
    expect(message('EXPIRED', 'consumer', { kind: 'addEvidence', side: 'CONSUMER' })).toBe(
      'The complaint is EXPIRED; consumer evidence is not accepted now.',
    );
    const appealedToOther = { ...stateIn(S.APP), assignedReviewerId: null };
    expect(message(S.APP, 'otherReviewer', { kind: 'claim' }, appealedToOther)).toBe('An appeal is decided by a different reviewer.');
    expect(message(S.APP, 'reviewer', { kind: 'claim' }, appealedToOther)).toBe('OK');
  });

  it('take at most the cap of photos from each side, counted apart', () => {
    const full = { ...stateIn(S.AMR), evidence: { CONSUMER: 2, MERCHANT: 2, BRAND: 1 } };
    const answer = (who: Who, side: EvidenceSide) => checkCommand(full, ROLES[who], { kind: 'addEvidence', side }, LIMITS);
    expect(answer('merchant', 'MERCHANT')).toEqual({
      ok: false,
      refusal: { kind: 'LIMIT_EXCEEDED', message: evidenceLimitMessage('MERCHANT', 2) },
    });
    expect(evidenceLimitMessage('MERCHANT', 2)).toBe(
      "A complaint takes at most 2 photos from each side, and the merchant's side has 2 already.",
    );
    expect(answer('brandMember', 'BRAND')).toMatchObject({ ok: true });
    // A side that is not yours is refused before its count matters.
    expect(answer('merchant', 'BRAND')).toMatchObject({ ok: false, refusal: { kind: 'FORBIDDEN' } });
  });

  it('let the loser appeal once: the merchant after COUNTERFEIT', () => {
    const counterfeit = { ...stateIn(S.DEC), verdict: 'COUNTERFEIT' as const };
    expect(checkCommand(counterfeit, ROLES.merchant, { kind: 'appeal' }, LIMITS)).toMatchObject({ ok: true });
    expect(checkCommand(counterfeit, ROLES.consumer, { kind: 'appeal' }, LIMITS)).toMatchObject({
      ok: false,
      refusal: { kind: 'FORBIDDEN' },
    });
    expect(checkCommand({ ...counterfeit, appealed: true }, ROLES.merchant, { kind: 'appeal' }, LIMITS)).toEqual({
      ok: false,
      refusal: { kind: 'NOT_ALLOWED_IN_STATE', message: 'A decision can be appealed once.' },
    });
  });

  it('refuse a reviewer who is a member of the brand, as the API tells', () => {
    const brandReviewer = { actorId: 'brand-member', role: 'REVIEWER', brandMember: true } as const;
    for (const kind of ['claim', 'decide'] as const)
      expect(checkCommand(stateIn(S.UR), brandReviewer, { kind }, LIMITS)).toEqual({
        ok: false,
        refusal: { kind: 'FORBIDDEN', message: PARTY_REVIEWER_MESSAGE },
      });
  });

  it('record an event for each change, and none for a claim already held', () => {
    const event = (status: Status, who: Who, command: RulesCommand) => {
      const outcome = checkCommand(stateIn(status), ROLES[who], command, LIMITS);
      return outcome.ok ? outcome.transition.event : outcome.refusal.kind;
    };
    expect(event(null, 'consumer', { kind: 'file' })).toBe('FILED');
    expect(event(S.UR, 'reviewer', { kind: 'claim' })).toBeNull();
    expect(event(S.UR, 'reviewer', { kind: 'decide' })).toBe('DECIDED');
    expect(event(S.APP, 'reviewer', { kind: 'decide' })).toBe('APPEAL_DECIDED');
  });
});

describe('a request for more information', () => {
  const asked = (side: 'CONSUMER' | 'MERCHANT', status: Status = S.UR, evidenceBefore = 0): RulesState => ({
    ...stateIn(status),
    informationRequest: { side, evidenceBefore },
  });
  const answer = (state: RulesState, who: Who, command: RulesCommand) => {
    const outcome = checkCommand(state, ROLES[who], command, LIMITS);
    return outcome.ok ? (outcome.transition.event ?? 'OK') : `${outcome.refusal.kind}: ${outcome.refusal.message}`;
  };

  it('re-opens the evidence window of the side asked only', () => {
    expect(answer(asked('MERCHANT'), 'merchant', { kind: 'addEvidence', side: 'MERCHANT' })).toBe('EVIDENCE_ADDED');
    expect(answer(asked('MERCHANT'), 'consumer', { kind: 'addEvidence', side: 'CONSUMER' })).toBe(
      'NOT_ALLOWED_IN_STATE: The complaint is UNDER_REVIEW; consumer evidence is not accepted now.',
    );
    expect(answer(asked('CONSUMER'), 'consumer', { kind: 'addEvidence', side: 'CONSUMER' })).toBe('EVIDENCE_ADDED');
    expect(answer(asked('CONSUMER'), 'merchant', { kind: 'addEvidence', side: 'MERCHANT' })).toMatch(/^NOT_ALLOWED_IN_STATE/);
    // The cap of photos per side still holds.
    const full = { ...asked('MERCHANT'), evidence: { CONSUMER: 1, MERCHANT: 2, BRAND: 0 } };
    expect(answer(full, 'merchant', { kind: 'addEvidence', side: 'MERCHANT' })).toBe(
      `LIMIT_EXCEEDED: ${evidenceLimitMessage('MERCHANT', 2)}`,
    );
  });

  it('is answered by the side asked, with a statement or a photo added since', () => {
    expect(answer(asked('MERCHANT'), 'merchant', { kind: 'answerInformation', withStatement: true })).toBe('INFORMATION_PROVIDED');
    expect(answer(asked('MERCHANT'), 'merchant', { kind: 'answerInformation', withStatement: false })).toBe(
      'NOT_ALLOWED_IN_STATE: Answer with a statement, or add a photo first.',
    );
    const withPhoto = { ...asked('MERCHANT'), evidence: { CONSUMER: 1, MERCHANT: 1, BRAND: 0 } };
    expect(answer(withPhoto, 'merchant', { kind: 'answerInformation', withStatement: false })).toBe('INFORMATION_PROVIDED');
    // Photos from before the request are no answer.
    expect(
      answer({ ...withPhoto, informationRequest: { side: 'MERCHANT', evidenceBefore: 1 } }, 'merchant', {
        kind: 'answerInformation',
        withStatement: false,
      }),
    ).toMatch(/^NOT_ALLOWED_IN_STATE/);
    expect(answer(asked('MERCHANT'), 'consumer', { kind: 'answerInformation', withStatement: true })).toBe(
      'FORBIDDEN: Only the side the reviewer asked answers a request for more information.',
    );
    expect(answer(asked('CONSUMER', S.APP), 'consumer', { kind: 'answerInformation', withStatement: true })).toBe('INFORMATION_PROVIDED');
  });

  it('holds the decision and further requests until it is answered or expires', () => {
    expect(answer(asked('CONSUMER'), 'reviewer', { kind: 'decide' })).toBe(`NOT_ALLOWED_IN_STATE: ${INFORMATION_REQUEST_OPEN_MESSAGE}`);
    expect(answer(asked('CONSUMER'), 'reviewer', { kind: 'requestInformation', side: 'MERCHANT' })).toBe(
      'NOT_ALLOWED_IN_STATE: The consumer has been asked already; one request is open at a time.',
    );
    expect(answer(stateIn(S.UR), 'reviewer', { kind: 'requestInformation', side: 'CONSUMER' })).toBe('INFORMATION_REQUESTED');
    expect(answer(stateIn(S.UR), 'partyReviewer', { kind: 'requestInformation', side: 'CONSUMER' })).toBe(
      `FORBIDDEN: ${PARTY_REVIEWER_MESSAGE}`,
    );
    const brandReviewer = { actorId: 'brand-member', role: 'REVIEWER', brandMember: true } as const;
    expect(checkCommand(stateIn(S.UR), brandReviewer, { kind: 'requestInformation', side: 'CONSUMER' }, LIMITS)).toMatchObject({
      ok: false,
      refusal: { kind: 'FORBIDDEN' },
    });
  });

  it('is not offered in complaints started before it existed, nor is evidence on appeal', () => {
    const earlier = { ...stateIn(S.UR), caseFileSteps: false };
    expect(answer(earlier, 'reviewer', { kind: 'requestInformation', side: 'CONSUMER' })).toBe(
      'NOT_ALLOWED_IN_STATE: This complaint was filed before reviewers could ask for more information.',
    );
    expect(answer({ ...stateIn(S.APP), caseFileSteps: false }, 'consumer', { kind: 'addEvidence', side: 'CONSUMER' })).toMatch(
      /^NOT_ALLOWED_IN_STATE/,
    );
  });
});

describe('evidence on appeal', () => {
  it('comes from the side that appealed only, while the appeal is open', () => {
    const merchantAppealed: RulesState = { ...stateIn(S.APP), verdict: 'COUNTERFEIT', appealedBy: 'MERCHANT' };
    const add = (state: RulesState, who: Who, side: EvidenceSide) => checkCommand(state, ROLES[who], { kind: 'addEvidence', side }, LIMITS);
    expect(add(merchantAppealed, 'merchant', 'MERCHANT')).toMatchObject({ ok: true });
    expect(add(merchantAppealed, 'consumer', 'CONSUMER')).toMatchObject({ ok: false, refusal: { kind: 'NOT_ALLOWED_IN_STATE' } });
    expect(add({ ...merchantAppealed, status: 'CLOSED' }, 'merchant', 'MERCHANT')).toMatchObject({
      ok: false,
      refusal: { kind: 'NOT_ALLOWED_IN_STATE' },
    });
    expect(add({ ...stateIn(S.DEC), appealedBy: null }, 'consumer', 'CONSUMER')).toMatchObject({ ok: false });
  });
});

describe('the deadline shown', () => {
  it('is the current step’s only', () => {
    expect(Object.fromEntries(STATUSES.filter((s) => s !== null).map((s) => [s, deadlineShown(s)]))).toEqual({
      AWAITING_EVIDENCE: 'evidenceDueAt',
      AWAITING_MERCHANT_RESPONSE: 'merchantResponseDueAt',
      UNDER_REVIEW: 'reviewDueAt',
      APPEALED: 'reviewDueAt',
      DECIDED: 'appealDueAt',
      CLOSED: null,
      WITHDRAWN: null,
      EXPIRED: null,
    });
  });
});

describe('the strike policy', () => {
  it('warns at 1, suspends badges for a while at 2, suspends stores and revokes from 3', () => {
    expect([1, 2, 3, 4].map((n) => consequenceOfStrike(n, 60))).toEqual([
      { kind: 'WARNING_ONLY' },
      { kind: 'SUSPEND_BADGES', seconds: 60 },
      { kind: 'SUSPEND_STORES_AND_REVOKE' },
      { kind: 'SUSPEND_STORES_AND_REVOKE' },
    ]);
    expect([0, 1, 2, 3, 4].map(storesStaySuspended)).toEqual([false, false, false, true, true]);
  });
});

describe('what the SDK throws, as the caller is told', () => {
  const refusedBy = (type: string, message: string) =>
    new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message, nonRetryable: true }));

  it('maps each refusal type of the rules to its kind, whatever the text says', () => {
    expect(outcomeOfFailure(refusedBy('NotAllowedInState', 'Forbidden'))).toEqual({
      ok: false,
      reason: 'NOT_ALLOWED_IN_STATE',
      message: 'Forbidden',
    });
    expect(outcomeOfFailure(refusedBy('Forbidden', 'x'))).toMatchObject({ reason: 'FORBIDDEN' });
    expect(outcomeOfFailure(refusedBy('LimitExceeded', 'x'))).toMatchObject({ reason: 'LIMIT_EXCEEDED' });
  });

  it('maps a write that found the complaint moved on, and a finished workflow, to NOT_ALLOWED_IN_STATE', () => {
    const stale = new ActivityFailure(
      'Activity task failed',
      'applyTransition',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      ApplicationFailure.create({ type: 'StaleTransition', message: 'The complaint is no longer in UNDER_REVIEW.', nonRetryable: true }),
    );
    expect(outcomeOfFailure(new WorkflowUpdateFailedError('Workflow Update failed', stale))).toEqual({
      ok: false,
      reason: 'NOT_ALLOWED_IN_STATE',
      message: 'The complaint is no longer in UNDER_REVIEW.',
    });
    expect(outcomeOfFailure(new WorkflowNotFoundError('workflow execution already completed', 'complaint-1', undefined))).toMatchObject({
      reason: 'NOT_ALLOWED_IN_STATE',
    });
    expect(outcomeOfFailure(new WorkflowExecutionAlreadyStartedError('started', 'complaint-1', 'complaintWorkflow'))).toMatchObject({
      reason: 'NOT_ALLOWED_IN_STATE',
    });
  });

  it('turns Temporal out of reach into UnavailableError, and rethrows what it does not know', () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: 14,
      details: 'No connection',
      metadata: {},
    });
    expect(() => outcomeOfFailure(new ServiceError('Update-With-Start failed', { cause: grpc }))).toThrow(UnavailableError);
    const unknownType = refusedBy('SomethingElse', 'x');
    expect(() => outcomeOfFailure(unknownType)).toThrow(unknownType);
    const bug = new TypeError('a bug');
    expect(() => outcomeOfFailure(bug)).toThrow(bug);
  });
});
