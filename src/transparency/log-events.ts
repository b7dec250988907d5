import type { BadgeStatus, Prisma } from '@prisma/client';
import { recordLogEvent, type LogEventType, type ReasonCode } from './entries.js';

// One call per place a logged change happens, inside that change's transaction,
// beside the webhook event of the same change.

const BADGE_EVENT: Partial<Record<BadgeStatus, LogEventType>> = {
  SUSPENDED: 'badge.suspended',
  REVOKED: 'badge.revoked',
  EXPIRED: 'badge.expired',
  ACTIVE: 'badge.reinstated',
};

/** The code for a revocation's or suspension's reason; the text itself is only committed to. */
function badgeReason(status: BadgeStatus, reason: string | null, actorId: string | null): ReasonCode {
  if (status === 'EXPIRED') return 'VALIDITY_ENDED';
  if (status === 'ACTIVE') return 'SUSPENSION_ENDED';
  if (status === 'SUSPENDED') return 'STRIKE_SUSPENSION';
  if (reason?.startsWith('strike')) return 'STRIKES_EXCEEDED';
  if (reason?.startsWith('authorization revoked')) return 'AUTHORIZATION_REVOKED';
  return actorId ? 'REVOKED_BY_REVIEWER' : 'OTHER';
}

async function badgeFacts(tx: Prisma.TransactionClient, badgeId: string) {
  return tx.badge.findUniqueOrThrow({
    where: { id: badgeId },
    select: { storeId: true, brandId: true, letterId: true, status: true, statusListId: true, statusListIndex: true, credential: true },
  });
}

/**
 * The grant of a badge's credential: on issue, and again whenever the service
 * signs the badge a new credential (its store's origins changed, its validity
 * was extended), so every credential a storefront can show has its grant in
 * the log. The status bits are the badge's at the time.
 */
export async function logBadgeGranted(
  tx: Prisma.TransactionClient,
  badgeId: string,
  at: Date,
  options: { resigned?: boolean } = {},
): Promise<void> {
  const badge = await badgeFacts(tx, badgeId);
  await recordLogEvent(tx, {
    type: 'badge.granted',
    at,
    eventId: options.resigned ? `badge:${badgeId}:granted:${at.getTime()}` : `badge:${badgeId}:granted`,
    ids: { badge: badgeId, store: badge.storeId, brand: badge.brandId, ...(badge.letterId ? { letter: badge.letterId } : {}) },
    reason: 'ISSUED',
    credential: badge.credential,
    status: {
      list: badge.statusListId,
      index: badge.statusListIndex,
      revoked: badge.status === 'REVOKED' ? 1 : 0,
      suspended: badge.status === 'SUSPENDED' ? 1 : 0,
    },
  });
}

/** A badge that reached `status` (read from the row just written): suspended, reinstated, revoked or expired. */
export async function logBadgeStatus(
  tx: Prisma.TransactionClient,
  badgeId: string,
  change: { reason: string | null; actorId: string | null; at: Date },
): Promise<void> {
  const badge = await badgeFacts(tx, badgeId);
  const type = BADGE_EVENT[badge.status];
  if (!type) return;
  await recordLogEvent(tx, {
    type,
    at: change.at,
    eventId: `badge:${badgeId}:${type.slice('badge.'.length)}:${change.at.getTime()}`,
    ids: { badge: badgeId, store: badge.storeId, brand: badge.brandId, ...(badge.letterId ? { letter: badge.letterId } : {}) },
    reason: badgeReason(badge.status, change.reason, change.actorId),
    credential: badge.credential,
    status: {
      list: badge.statusListId,
      index: badge.statusListIndex,
      revoked: badge.status === 'REVOKED' ? 1 : 0,
      suspended: badge.status === 'SUSPENDED' ? 1 : 0,
    },
    secrets: { reason: change.reason },
  });
}

export async function logLetterChange(
  tx: Prisma.TransactionClient,
  letterId: string,
  change: { approved: boolean; reason: string | null; byBrand?: boolean; grantorRevoked?: boolean; at: Date },
): Promise<void> {
  const letter = await tx.authorizationLetter.findUniqueOrThrow({ where: { id: letterId }, select: { storeId: true, brandId: true } });
  const type: LogEventType = change.approved ? 'letter.approved' : 'letter.revoked';
  const reason: ReasonCode = change.approved
    ? 'APPROVED_BY_REVIEWER'
    : change.grantorRevoked
      ? 'AUTHORIZATION_REVOKED'
      : change.reason?.startsWith('strike')
        ? 'STRIKES_EXCEEDED'
        : change.byBrand
          ? 'REVOKED_BY_BRAND'
          : 'OTHER';
  await recordLogEvent(tx, {
    type,
    at: change.at,
    eventId: `letter:${letterId}:${change.approved ? 'approved' : 'revoked'}`,
    ids: { letter: letterId, store: letter.storeId, brand: letter.brandId },
    reason,
    secrets: { reason: change.reason },
  });
}

/** A letter whose validity ended: logged once, like its approval, so the log shows when the authorization stopped. */
export async function logLetterExpired(tx: Prisma.TransactionClient, letterId: string, at: Date): Promise<void> {
  const letter = await tx.authorizationLetter.findUniqueOrThrow({ where: { id: letterId }, select: { storeId: true, brandId: true } });
  await recordLogEvent(tx, {
    type: 'letter.expired',
    at,
    eventId: `letter:${letterId}:expired`,
    ids: { letter: letterId, store: letter.storeId, brand: letter.brandId },
    reason: 'VALIDITY_ENDED',
  });
}

export async function logStrike(
  tx: Prisma.TransactionClient,
  warning: { id: string; storeId: string; complaintId: string },
  change: { rescinded: boolean; at: Date },
  /** The complaint's brand, when the caller has read it already. */
  complaint?: { brandId: string | null },
): Promise<void> {
  const { brandId } =
    complaint ?? (await tx.complaint.findUniqueOrThrow({ where: { id: warning.complaintId }, select: { brandId: true } }));
  await recordLogEvent(tx, {
    type: change.rescinded ? 'strike.rescinded' : 'strike.issued',
    at: change.at,
    eventId: `strike:${warning.id}:${change.rescinded ? 'rescinded' : 'issued'}`,
    ids: { complaint: warning.complaintId, store: warning.storeId, ...(brandId ? { brand: brandId } : {}) },
    reason: change.rescinded ? 'VERDICT_OVERTURNED' : 'COUNTERFEIT_CONFIRMED',
  });
}

/** A transition that sets a verdict is a decision (the first one or an appeal's); others log nothing. */
export async function logComplaintDecision(
  tx: Prisma.TransactionClient,
  complaint: { id: string; storeId: string; brandId: string | null },
  set: { verdict?: string | null; decisionNote?: string | null },
  dedupeKey: string,
  at: Date,
): Promise<void> {
  if (!set.verdict) return;
  const complaintId = complaint.id;
  await recordLogEvent(tx, {
    type: 'complaint.decided',
    at,
    eventId: `complaint:${complaintId}:decided:${dedupeKey}`,
    ids: { complaint: complaintId, store: complaint.storeId, ...(complaint.brandId ? { brand: complaint.brandId } : {}) },
    reason: set.verdict as ReasonCode,
    secrets: { note: set.decisionNote },
  });
}
