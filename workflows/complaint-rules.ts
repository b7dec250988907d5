import type { ActorRole, ComplaintStatus } from './complaint-messages.js';
import { PARTY_REVIEWER_MESSAGE, partyOf } from './complaint-parties.js';

export { PARTY_REVIEWER_MESSAGE };

// The complaint's state machine, in one place. Pure and deterministic: the
// workflow's Update validators and handlers ask it, and so does the API before
// it uploads a photo or sends an Update, and when it shows a deadline. Who may
// do what, in which state, and how often is decided here and nowhere else.

export type EvidenceSide = 'CONSUMER' | 'MERCHANT' | 'BRAND';

export const EVIDENCE_SIDES: readonly EvidenceSide[] = ['CONSUMER', 'MERCHANT', 'BRAND'];

/** Statuses in which a complaint still needs someone: they count against a consumer's open complaints. */
export const OPEN_COMPLAINT_STATUSES = ['AWAITING_EVIDENCE', 'AWAITING_MERCHANT_RESPONSE', 'UNDER_REVIEW', 'APPEALED'] as const;

/** What the rules need to know of a complaint; `status` is null before it is filed. */
export interface RulesState {
  status: ComplaintStatus | null;
  consumerId: string;
  storeOwnerId: string;
  assignedReviewerId: string | null;
  /** Reviewers who decided; an appeal goes to someone else. */
  deciderIds: string[];
  appealed: boolean;
  verdict: 'COUNTERFEIT' | 'NOT_COUNTERFEIT' | 'INSUFFICIENT_EVIDENCE' | null;
  evidence: Record<EvidenceSide, number>;
  /** The side that appealed; absent where it is not known (no appeal). */
  appealedBy?: PartySide | null;
  /** The reviewer's open request for more information, if any. */
  informationRequest?: OpenInformationRequest | null;
  /**
   * False for complaints whose workflow started before reviewers could ask for
   * more information and appellants add evidence: those keep the steps they were filed with.
   */
  caseFileSteps?: boolean;
}

/** The two sides a reviewer may ask for more information, and who may appeal. */
export type PartySide = 'CONSUMER' | 'MERCHANT';

export const PARTY_SIDES: readonly PartySide[] = ['CONSUMER', 'MERCHANT'];

export interface OpenInformationRequest {
  side: PartySide;
  /** The side's photos when the request was made: an answer without a statement needs one more. */
  evidenceBefore: number;
}

export interface RulesLimits {
  evidencePerSide: number;
}

/**
 * Who acts. `brandMember` is set by the API, which alone knows brand
 * membership (it can change); the workflow knows the two sides from its input.
 */
export interface RulesActor {
  actorId: string;
  role: ActorRole;
  brandMember?: boolean;
}

export type RulesCommand =
  | { kind: 'file' }
  | { kind: 'addEvidence'; side: EvidenceSide }
  | { kind: 'submit' }
  | { kind: 'respond' }
  | { kind: 'withdraw' }
  | { kind: 'claim' }
  | { kind: 'decide' }
  | { kind: 'appeal' }
  | { kind: 'requestInformation'; side: PartySide }
  | { kind: 'answerInformation'; withStatement: boolean };

export type RefusalKind = 'NOT_ALLOWED_IN_STATE' | 'FORBIDDEN' | 'LIMIT_EXCEEDED';

export interface Refusal {
  kind: RefusalKind;
  message: string;
}

/** What an allowed command does: the status it leads to (null: unchanged) and the timeline event it records (null: nothing to do). */
export interface Transition {
  to: ComplaintStatus | null;
  event: string | null;
}

export type RuleOutcome = { ok: true; transition: Transition } | { ok: false; refusal: Refusal };

const refused = (kind: RefusalKind, message: string): RuleOutcome => ({ ok: false, refusal: { kind, message } });
const notNow = (message: string) => refused('NOT_ALLOWED_IN_STATE', message);
const forbidden = (message: string) => refused('FORBIDDEN', message);
const allowed = (to: ComplaintStatus | null, event: string | null): RuleOutcome => ({ ok: true, transition: { to, event } });

const isOpen = (status: ComplaintStatus | null) => status !== null && (OPEN_COMPLAINT_STATUSES as readonly string[]).includes(status);
const isConsumer = (s: RulesState, a: RulesActor) => a.role === 'CONSUMER' && a.actorId === s.consumerId;
const isStoreOwner = (s: RulesState, a: RulesActor) => a.role === 'MERCHANT' && a.actorId === s.storeOwnerId;
const isPartyReviewer = (s: RulesState, a: RulesActor) => partyOf(s, a.actorId) !== null || a.brandMember === true;

const caseFileSteps = (s: RulesState) => s.caseFileSteps !== false;
const isSide = (s: RulesState, a: RulesActor, side: PartySide) => (side === 'CONSUMER' ? isConsumer(s, a) : isStoreOwner(s, a));

/**
 * When each side's photos are taken: the consumer's before submission, the
 * merchant's in the response window, the brand's while the complaint is open;
 * and a party's while a reviewer's request for more information to that side
 * is open, or while that party's appeal is under review.
 */
function takesEvidenceFrom(side: EvidenceSide, state: RulesState): boolean {
  const { status } = state;
  if (side === 'BRAND') return isOpen(status);
  if (side === 'CONSUMER' && status === 'AWAITING_EVIDENCE') return true;
  if (side === 'MERCHANT' && status === 'AWAITING_MERCHANT_RESPONSE') return true;
  if (!caseFileSteps(state)) return false;
  if (state.informationRequest?.side === side && (status === 'UNDER_REVIEW' || status === 'APPEALED')) return true;
  return status === 'APPEALED' && state.appealedBy === side;
}

export const INFORMATION_REQUEST_OPEN_MESSAGE =
  'The reviewer is waiting for more information; decide once it is answered or its deadline has passed.';

export function evidenceLimitMessage(side: EvidenceSide, max: number): string {
  return `A complaint takes at most ${max} photos from each side, and the ${side.toLowerCase()}'s side has ${max} already.`;
}

export function openComplaintsLimitMessage(max: number): string {
  return `You have ${max} open complaints, the most at once; file this one when one of them is decided, withdrawn or expired.`;
}

/** Whether `actor` may run `command` on a complaint in `state`, and what it does if so. */
export function checkCommand(state: RulesState, actor: RulesActor, command: RulesCommand, limits: RulesLimits): RuleOutcome {
  const { status } = state;
  switch (command.kind) {
    case 'file':
      if (!isConsumer(state, actor)) return forbidden('Only the consumer files their complaint.');
      if (status !== null) return notNow(`The complaint is already filed; it is ${status}.`);
      return allowed('AWAITING_EVIDENCE', 'FILED');

    case 'addEvidence': {
      const { side } = command;
      const sideMatches =
        (side === 'CONSUMER' && isConsumer(state, actor)) ||
        (side === 'MERCHANT' && isStoreOwner(state, actor)) ||
        (side === 'BRAND' && actor.role === 'BRAND');
      if (!sideMatches) return forbidden("Only the complaint's consumer, the store's owner or the brand's members add evidence.");
      if (!takesEvidenceFrom(side, state))
        return notNow(`The complaint is ${status ?? 'not filed'}; ${side.toLowerCase()} evidence is not accepted now.`);
      if (state.evidence[side] >= limits.evidencePerSide)
        return refused('LIMIT_EXCEEDED', evidenceLimitMessage(side, limits.evidencePerSide));
      return allowed(null, 'EVIDENCE_ADDED');
    }

    case 'submit':
      if (!isConsumer(state, actor)) return forbidden('Only the consumer who filed the complaint submits it.');
      if (status !== 'AWAITING_EVIDENCE') return notNow(`The complaint is ${status}, not AWAITING_EVIDENCE.`);
      if (state.evidence.CONSUMER < 1) return notNow('Add at least one photo before submitting.');
      return allowed('AWAITING_MERCHANT_RESPONSE', 'SUBMITTED');

    case 'respond':
      if (!isStoreOwner(state, actor)) return forbidden("Only the store's owner answers the complaint.");
      if (status !== 'AWAITING_MERCHANT_RESPONSE') return notNow(`The complaint is ${status}; the response window is closed.`);
      return allowed('UNDER_REVIEW', 'MERCHANT_RESPONDED');

    case 'withdraw':
      if (!isConsumer(state, actor)) return forbidden('Only the consumer who filed the complaint withdraws it.');
      if (status !== 'AWAITING_EVIDENCE' && status !== 'AWAITING_MERCHANT_RESPONSE' && status !== 'UNDER_REVIEW')
        return notNow(`The complaint is ${status}; it can be withdrawn only before a decision.`);
      return allowed('WITHDRAWN', 'WITHDRAWN');

    case 'claim':
      if (actor.role !== 'REVIEWER') return forbidden('Only reviewers claim complaints.');
      if (isPartyReviewer(state, actor)) return forbidden(PARTY_REVIEWER_MESSAGE);
      if (status !== 'UNDER_REVIEW' && status !== 'APPEALED') return notNow(`The complaint is ${status}, not waiting for a reviewer.`);
      if (state.assignedReviewerId === actor.actorId) return allowed(null, null);
      if (state.assignedReviewerId) return notNow('Another reviewer has claimed the complaint.');
      if (status === 'APPEALED' && state.deciderIds.includes(actor.actorId)) return notNow('An appeal is decided by a different reviewer.');
      return allowed(null, 'CLAIMED');

    case 'decide':
      if (actor.role !== 'REVIEWER') return forbidden('Only the reviewer who claimed the complaint decides it.');
      if (isPartyReviewer(state, actor)) return forbidden(PARTY_REVIEWER_MESSAGE);
      if (status !== 'UNDER_REVIEW' && status !== 'APPEALED') return notNow(`The complaint is ${status}, not under review.`);
      if (state.assignedReviewerId !== actor.actorId) return forbidden('Only the reviewer who claimed the complaint decides it.');
      if (state.informationRequest) return notNow(INFORMATION_REQUEST_OPEN_MESSAGE);
      return status === 'APPEALED' ? allowed('CLOSED', 'APPEAL_DECIDED') : allowed('DECIDED', 'DECIDED');

    case 'appeal': {
      if (!isConsumer(state, actor) && !isStoreOwner(state, actor)) return forbidden('Only the side that lost may appeal.');
      if (status !== 'DECIDED') return notNow(`The complaint is ${status}; only a decision can be appealed.`);
      if (state.appealed) return notNow('A decision can be appealed once.');
      const loser = state.verdict === 'COUNTERFEIT' ? state.storeOwnerId : state.consumerId;
      if (actor.actorId !== loser) return forbidden('Only the side that lost may appeal.');
      return allowed('APPEALED', 'APPEALED');
    }

    case 'requestInformation':
      if (actor.role !== 'REVIEWER') return forbidden('Only the reviewer who claimed the complaint asks for more information.');
      if (isPartyReviewer(state, actor)) return forbidden(PARTY_REVIEWER_MESSAGE);
      if (status !== 'UNDER_REVIEW' && status !== 'APPEALED') return notNow(`The complaint is ${status}, not under review.`);
      if (state.assignedReviewerId !== actor.actorId)
        return forbidden('Only the reviewer who claimed the complaint asks for more information.');
      if (!caseFileSteps(state)) return notNow('This complaint was filed before reviewers could ask for more information.');
      if (state.informationRequest)
        return notNow(`The ${state.informationRequest.side.toLowerCase()} has been asked already; one request is open at a time.`);
      return allowed(null, 'INFORMATION_REQUESTED');

    case 'answerInformation': {
      const request = state.informationRequest;
      if (!isConsumer(state, actor) && !isStoreOwner(state, actor))
        return forbidden('Only the side the reviewer asked answers a request for more information.');
      if (!request) return notNow('No request for more information is open.');
      if (!isSide(state, actor, request.side)) return forbidden('Only the side the reviewer asked answers a request for more information.');
      if (!command.withStatement && state.evidence[request.side] <= request.evidenceBefore)
        return notNow('Answer with a statement, or add a photo first.');
      return allowed(null, 'INFORMATION_PROVIDED');
    }
  }
}

export type DeadlineField = 'evidenceDueAt' | 'merchantResponseDueAt' | 'reviewDueAt' | 'appealDueAt';

/** The one deadline that matters in a status, or null when nothing is waited for. */
export function deadlineShown(status: ComplaintStatus): DeadlineField | null {
  switch (status) {
    case 'AWAITING_EVIDENCE':
      return 'evidenceDueAt';
    case 'AWAITING_MERCHANT_RESPONSE':
      return 'merchantResponseDueAt';
    case 'UNDER_REVIEW':
    case 'APPEALED':
      return 'reviewDueAt';
    case 'DECIDED':
      return 'appealDueAt';
    default:
      return null;
  }
}
