import type { BadgeStatus, Prisma } from '@prisma/client';
import type { Db } from '../db/client.js';
import { publishBadgeChanged } from '../events/badge-events.js';
import { recordAudit } from './audit.js';
import { publishBadgeEvent, publishBadgeStatusEvent } from '../webhooks/event-sources.js';
import { logBadgeStatus } from '../transparency/log-events.js';

// Every badge status change goes through here: guarded by the state it starts
// from (so a retried activity or a race changes nothing twice), audited and
// published in the same transaction.

async function transition(
  tx: Prisma.TransactionClient,
  badgeId: string,
  from: BadgeStatus[],
  data: Prisma.BadgeUpdateManyMutationInput,
  audit: { action: string; actorId: string | null; reason?: string | null; at: Date },
): Promise<boolean> {
  const { count } = await tx.badge.updateMany({ where: { id: badgeId, status: { in: from } }, data });
  if (count === 0) return false;
  const badge = await tx.badge.findUniqueOrThrow({ where: { id: badgeId }, select: { storeId: true, status: true } });
  await recordAudit(tx, {
    actorId: audit.actorId,
    action: audit.action,
    entityType: 'Badge',
    entityId: badgeId,
    reason: audit.reason,
    data: { status: badge.status },
    at: audit.at,
  });
  await publishBadgeChanged(tx, { badgeId, storeId: badge.storeId });
  await publishBadgeStatusEvent(tx, badgeId, badge.status, audit.reason ?? null);
  await logBadgeStatus(tx, badgeId, { reason: audit.reason ?? null, actorId: audit.actorId, at: audit.at });
  return true;
}

export function expireBadge(db: Db, badgeId: string, now: Date): Promise<boolean> {
  return db.$transaction((tx) =>
    transition(
      tx,
      badgeId,
      ['ACTIVE', 'SUSPENDED'],
      { status: 'EXPIRED', suspendedUntil: null },
      { action: 'badge.expired', actorId: null, reason: 'validity ended', at: now },
    ),
  );
}

export function suspendBadge(db: Db, badgeId: string, until: Date, reason: string, now: Date): Promise<boolean> {
  return db.$transaction((tx) =>
    transition(
      tx,
      badgeId,
      ['ACTIVE', 'SUSPENDED'],
      { status: 'SUSPENDED', suspendedUntil: until },
      { action: 'badge.suspended', actorId: null, reason, at: now },
    ),
  );
}

export function restoreSuspendedBadge(db: Db, badgeId: string, now: Date): Promise<boolean> {
  return db.$transaction((tx) =>
    transition(
      tx,
      badgeId,
      ['SUSPENDED'],
      { status: 'ACTIVE', suspendedUntil: null },
      { action: 'badge.restored', actorId: null, reason: 'suspension ended', at: now },
    ),
  );
}

/** Revokes live badges inside the caller's transaction; returns the ids it revoked. */
export async function revokeBadgesInTransaction(
  tx: Prisma.TransactionClient,
  badgeIds: string[],
  reason: string,
  actorId: string | null,
  now: Date,
): Promise<string[]> {
  const revoked: string[] = [];
  for (const badgeId of badgeIds) {
    const changed = await transition(
      tx,
      badgeId,
      ['ACTIVE', 'SUSPENDED'],
      { status: 'REVOKED', revokedAt: now, revokedReason: reason, suspendedUntil: null },
      { action: 'badge.revoked', actorId, reason, at: now },
    );
    if (changed) revoked.push(badgeId);
  }
  return revoked;
}

/** Records the renewal reminder once, however often the activity runs. */
export async function remindBadgeRenewal(db: Db, badgeId: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.badge.updateMany({
      where: { id: badgeId, status: { in: ['ACTIVE', 'SUSPENDED'] }, reminderSentAt: null },
      data: { reminderSentAt: now },
    });
    if (count === 0) return false;
    const badge = await tx.badge.findUniqueOrThrow({ where: { id: badgeId }, select: { expiresAt: true, storeId: true } });
    await recordAudit(tx, {
      actorId: null,
      action: 'badge.renewal_reminder',
      entityType: 'Badge',
      entityId: badgeId,
      reason: 'the badge expires soon; renew the trademark or letter behind it',
      data: { expiresAt: badge.expiresAt.toISOString(), storeId: badge.storeId },
      at: now,
    });
    await publishBadgeEvent(tx, 'BADGE_EXPIRING', badgeId);
    return true;
  });
}
