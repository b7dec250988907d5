/** Each event a brand's endpoint can receive, in plain words. */
export const BRAND_EVENT_TYPES = [
  { type: 'COMPLAINT_FILED', label: 'A complaint about your brand is filed' },
  { type: 'COMPLAINT_DECIDED', label: 'A complaint is decided' },
  { type: 'COMPLAINT_APPEALED', label: 'A decision is appealed' },
  { type: 'LETTER_AWAITING_CONFIRMATION', label: 'A store uploads a letter for you to confirm' },
  { type: 'BADGE_GRANTED', label: 'A store gets a badge' },
  { type: 'BADGE_SUSPENDED', label: 'A badge is suspended' },
  { type: 'BADGE_REVOKED', label: 'A badge is revoked' },
  { type: 'BADGE_EXPIRING', label: 'A badge ends soon' },
  { type: 'PRODUCT_CODE_CLONE_ALERT', label: 'A product code looks copied (clone alert)' },
] as const;

export type BrandEventType = (typeof BRAND_EVENT_TYPES)[number]['type'];

export const eventLabel = (type: string) => BRAND_EVENT_TYPES.find((t) => t.type === type)?.label ?? type;
