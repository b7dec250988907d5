import type { WebhookEventType } from '@prisma/client';

export type { WebhookEventType };

/** The `type` of each event's body, as receivers see it (Standard Webhooks: dotted, lowercase). */
export const WEBHOOK_EVENT_NAMES = {
  COMPLAINT_FILED: 'complaint.filed',
  COMPLAINT_DECIDED: 'complaint.decided',
  COMPLAINT_APPEALED: 'complaint.appealed',
  LETTER_AWAITING_CONFIRMATION: 'letter.awaiting_confirmation',
  BADGE_GRANTED: 'badge.granted',
  BADGE_SUSPENDED: 'badge.suspended',
  BADGE_REVOKED: 'badge.revoked',
  BADGE_EXPIRING: 'badge.expiring',
  PRODUCT_CODE_CLONE_ALERT: 'product_code.clone_alert',
} as const satisfies Record<WebhookEventType, string>;

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_NAMES) as WebhookEventType[];

/** Events a store's endpoint may ask for: those that concern the store itself. */
export const STORE_EVENT_TYPES: ReadonlySet<WebhookEventType> = new Set([
  'COMPLAINT_FILED',
  'COMPLAINT_DECIDED',
  'COMPLAINT_APPEALED',
  'BADGE_GRANTED',
  'BADGE_SUSPENDED',
  'BADGE_REVOKED',
  'BADGE_EXPIRING',
]);
