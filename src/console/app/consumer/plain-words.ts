// The service's states, told to a shopper.

export const formatTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
export const formatDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'long' });
export const formatMoney = ({ amount, currency }: { amount: string; currency: string }) => {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
};

export const timesInWords = (count: number) => (count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`);

export type ComplaintStatus =
  'AWAITING_EVIDENCE' | 'AWAITING_MERCHANT_RESPONSE' | 'UNDER_REVIEW' | 'DECIDED' | 'APPEALED' | 'CLOSED' | 'EXPIRED' | 'WITHDRAWN';

export type Verdict = 'COUNTERFEIT' | 'NOT_COUNTERFEIT' | 'INSUFFICIENT_EVIDENCE';

/** A short label for lists. */
export const STATUS_LABEL: Record<ComplaintStatus, string> = {
  AWAITING_EVIDENCE: 'Waiting for your photos',
  AWAITING_MERCHANT_RESPONSE: 'Waiting for the store’s answer',
  UNDER_REVIEW: 'Being reviewed',
  DECIDED: 'Decided',
  APPEALED: 'Decision appealed',
  CLOSED: 'Closed',
  EXPIRED: 'Expired (no photos in time)',
  WITHDRAWN: 'Withdrawn by you',
};

export const VERDICT_WORDS: Record<Verdict, string> = {
  COUNTERFEIT: 'The product is counterfeit: you were right.',
  NOT_COUNTERFEIT: 'The reviewer found the product genuine.',
  INSUFFICIENT_EVIDENCE: 'The reviewer could not tell from the evidence whether the product is counterfeit.',
};

/** What the current step means for the consumer. */
export function statusExplained(status: ComplaintStatus, verdict: Verdict | null): string {
  switch (status) {
    case 'AWAITING_EVIDENCE':
      return 'Your report is not sent yet. Add at least one photo of the product and send it before the deadline, or it expires.';
    case 'AWAITING_MERCHANT_RESPONSE':
      return 'Your report was sent. The store may now answer and add its own photos; then a reviewer looks at both sides.';
    case 'UNDER_REVIEW':
      return 'A reviewer is looking at your photos and the store’s answer. You will see the decision here.';
    case 'DECIDED':
      return verdict ? VERDICT_WORDS[verdict] : 'A reviewer decided.';
    case 'APPEALED':
      return 'The decision was appealed: a different reviewer looks at the case again.';
    case 'CLOSED':
      return verdict ? `This complaint is finished. ${VERDICT_WORDS[verdict]}` : 'This complaint is finished.';
    case 'EXPIRED':
      return 'No photos were sent before the deadline, so this complaint ended without a review.';
    case 'WITHDRAWN':
      return 'You withdrew this complaint; nothing more happens with it.';
  }
}

export const COUPON_STATUS_WORDS: Record<string, string> = {
  VALID: 'Ready to use',
  REDEEMED: 'Used',
  EXPIRED: 'Expired',
  UNKNOWN: 'Unknown',
};

export const ROLE_WORDS: Record<string, string> = {
  CONSUMER: 'You',
  MERCHANT: 'The store',
  BRAND: 'The brand',
  REVIEWER: 'A reviewer',
  ADMIN: 'An administrator',
};
