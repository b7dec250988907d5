import { encodeGlobalID } from '@pothos/plugin-relay';
import type { BadgeStatus, Complaint, Prisma, Role, WebhookEventType } from '@prisma/client';
import { publishWebhookEvent } from './publish.js';

// One call per place a change happens, inside that change's transaction. Each
// tells what the rows just written say: read here, or, for complaints, handed
// over by the caller that wrote or read them in the same transaction.

const gid = (typename: string, id: string | null) => (id === null ? null : encodeGlobalID(typename, id));

/** A complaint as it was filed, from the row its filing wrote. */
export async function publishComplaintFiled(
  tx: Prisma.TransactionClient,
  complaint: Pick<Complaint, 'id' | 'storeId' | 'brandId' | 'status' | 'evidenceDueAt'>,
): Promise<void> {
  const complaintId = complaint.id;
  await publishWebhookEvent(tx, {
    type: 'COMPLAINT_FILED',
    brandId: complaint.brandId,
    storeId: complaint.storeId,
    data: {
      complaintId: gid('Complaint', complaintId),
      storeId: gid('Store', complaint.storeId),
      brandId: gid('Brand', complaint.brandId),
      status: complaint.status,
      evidenceDueAt: complaint.evidenceDueAt?.toISOString() ?? null,
    },
  });
}

type TransitionAnnouncement = { verdict?: string | null; appealedByRole?: string | null };

/** A transition that sets a verdict is a decision; one that records who appealed is an appeal; others announce nothing. */
const transitionEventType = (set: TransitionAnnouncement): WebhookEventType | null =>
  set.verdict ? 'COMPLAINT_DECIDED' : set.appealedByRole ? 'COMPLAINT_APPEALED' : null;

export const publishesWebhookEvent = (set: TransitionAnnouncement): boolean => transitionEventType(set) !== null;

/** What a decision's or an appeal's announcement tells of the complaint, as the transition left it. */
export type AnnouncedComplaint = Pick<Complaint, 'id' | 'storeId' | 'brandId' | 'status' | 'verdict' | 'appealedByRole' | 'appealDueAt'>;

export async function publishComplaintTransition(
  tx: Prisma.TransactionClient,
  complaint: AnnouncedComplaint,
  set: TransitionAnnouncement,
): Promise<void> {
  const type = transitionEventType(set);
  if (!type) return;
  const complaintId = complaint.id;
  await publishWebhookEvent(tx, {
    type,
    brandId: complaint.brandId,
    storeId: complaint.storeId,
    data: {
      complaintId: gid('Complaint', complaintId),
      storeId: gid('Store', complaint.storeId),
      brandId: gid('Brand', complaint.brandId),
      status: complaint.status,
      verdict: complaint.verdict,
      ...(type === 'COMPLAINT_APPEALED'
        ? { appealedBy: complaint.appealedByRole as Role | null }
        : { appealDueAt: complaint.appealDueAt?.toISOString() ?? null }),
    },
  });
}

export async function publishLetterAwaitingConfirmation(
  tx: Prisma.TransactionClient,
  letter: { id: string; brandId: string; storeId: string; chainDepth: number; validFrom: Date; validUntil: Date },
): Promise<void> {
  await publishWebhookEvent(tx, {
    type: 'LETTER_AWAITING_CONFIRMATION',
    brandId: letter.brandId,
    storeId: null,
    data: {
      letterId: gid('AuthorizationLetter', letter.id),
      brandId: gid('Brand', letter.brandId),
      storeId: gid('Store', letter.storeId),
      chainDepth: letter.chainDepth,
      validFrom: letter.validFrom.toISOString(),
      validUntil: letter.validUntil.toISOString(),
    },
  });
}

export type BadgeEventType = Extract<WebhookEventType, 'BADGE_GRANTED' | 'BADGE_SUSPENDED' | 'BADGE_REVOKED' | 'BADGE_EXPIRING'>;

/** Badge events go to the store holding the badge and to the brand it names. */
export async function publishBadgeEvent(
  tx: Prisma.TransactionClient,
  type: BadgeEventType,
  badgeId: string,
  reason: string | null = null,
): Promise<void> {
  const badge = await tx.badge.findUniqueOrThrow({
    where: { id: badgeId },
    select: { storeId: true, brandId: true, kind: true, status: true, expiresAt: true, suspendedUntil: true },
  });
  await publishWebhookEvent(tx, {
    type,
    brandId: badge.brandId,
    storeId: badge.storeId,
    data: {
      badgeId: gid('Badge', badgeId),
      storeId: gid('Store', badge.storeId),
      brandId: gid('Brand', badge.brandId),
      kind: badge.kind,
      status: badge.status,
      expiresAt: badge.expiresAt.toISOString(),
      suspendedUntil: badge.suspendedUntil?.toISOString() ?? null,
      reason,
    },
  });
}

/** A badge status change: suspensions and revocations are announced; restorations and expiries are not events of their own. */
export async function publishBadgeStatusEvent(
  tx: Prisma.TransactionClient,
  badgeId: string,
  status: BadgeStatus,
  reason: string | null,
): Promise<void> {
  const type = status === 'SUSPENDED' ? 'BADGE_SUSPENDED' : status === 'REVOKED' ? 'BADGE_REVOKED' : null;
  if (type) await publishBadgeEvent(tx, type, badgeId, reason);
}

export interface ProductCodeCloneAlert {
  brandId: string;
  productCodeId: string;
  /** Why the code looks cloned, in words for the brand, e.g. "checked from 4 countries within an hour". */
  reason: string;
  /** Anything else the alert measured (counts, places, times); sent as given. */
  details?: Record<string, unknown>;
}

/** For the product-code checks: a code seen where a genuine one can't be. Brand endpoints only. */
export async function publishProductCodeCloneAlert(tx: Prisma.TransactionClient, alert: ProductCodeCloneAlert): Promise<void> {
  await publishWebhookEvent(tx, {
    type: 'PRODUCT_CODE_CLONE_ALERT',
    brandId: alert.brandId,
    storeId: null,
    data: {
      brandId: gid('Brand', alert.brandId),
      productCodeId: gid('ProductCode', alert.productCodeId),
      reason: alert.reason,
      details: alert.details ?? {},
    },
  });
}
