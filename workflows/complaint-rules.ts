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
  | { kind: 'appeal' };

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

/** The statuses in which each side's photos are taken. */
function takesEvidenceFrom(side: EvidenceSide, status: ComplaintStatus | null): boolean {
  if (side === 'CONSUMER') return status === 'AWAITING_EVIDENCE';
  if (side === 'MERCHANT') return status === 'AWAITING_MERCHANT_RESPONSE';
  return isOpen(status);
}

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
      if (!takesEvidenceFrom(side, status))
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
      return status === 'APPEALED' ? allowed('CLOSED', 'APPEAL_DECIDED') : allowed('DECIDED', 'DECIDED');

    case 'appeal': {
      if (!isConsumer(state, actor) && !isStoreOwner(state, actor)) return forbidden('Only the side that lost may appeal.');
      if (status !== 'DECIDED') return notNow(`The complaint is ${status}; only a decision can be appealed.`);
      if (state.appealed) return notNow('A decision can be appealed once.');
      const loser = state.verdict === 'COUNTERFEIT' ? state.storeOwnerId : state.consumerId;
      if (actor.actorId !== loser) return forbidden('Only the side that lost may appeal.');
      return allowed('APPEALED', 'APPEALED');
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
