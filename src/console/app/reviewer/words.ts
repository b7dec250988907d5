// The API's codes in the words a reviewer reads.

const STATUS_WORDS: Record<string, string> = {
  AWAITING_EVIDENCE: 'Waiting for the consumer’s photos',
  AWAITING_MERCHANT_RESPONSE: 'Waiting for the store’s answer',
  UNDER_REVIEW: 'Under review',
  APPEALED: 'Appealed',
  DECIDED: 'Decided',
  CLOSED: 'Closed',
  EXPIRED: 'Expired',
  WITHDRAWN: 'Withdrawn',
  SUBMITTED: 'Waiting for review',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  REVOKED: 'Revoked',
};
export const statusWords = (status: string) => STATUS_WORDS[status] ?? status;

const VERDICT_WORDS: Record<string, string> = {
  COUNTERFEIT: 'Counterfeit',
  NOT_COUNTERFEIT: 'Not counterfeit',
  INSUFFICIENT_EVIDENCE: 'Not enough evidence',
};
export const verdictWords = (verdict: string) => VERDICT_WORDS[verdict] ?? verdict;

const ROLE_WORDS: Record<string, string> = {
  CONSUMER: 'the consumer',
  MERCHANT: 'the store',
  BRAND: 'the brand',
  REVIEWER: 'a reviewer',
  ADMIN: 'an administrator',
};
export const roleWords = (role: string | null | undefined) => (role ? (ROLE_WORDS[role] ?? role.toLowerCase()) : 'the service');

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
export const when = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');
export const day = (iso: string | null | undefined) => (iso ? dateOnly.format(new Date(iso)) : '—');

/** "EVIDENCE_ADDED" → "Evidence added": timeline entries carry their own message as well. */
export const eventWords = (type: string) => type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
