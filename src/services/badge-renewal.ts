import type { Prisma } from '@prisma/client';
import { signBadgeCredential } from '../credentials/badge-credentials.js';
import type { Db } from '../db/client.js';
import { publishBadgeChanged } from '../events/badge-events.js';
import { enqueue } from '../outbox/enqueue.js';
import { recordAudit } from './audit.js';
import { logBadgeGranted, logBadgeStatus, logLetterExpired } from '../transparency/log-events.js';
import type { SigningKey } from '../credentials/signing-key.js';

// A badge stands for as long as what it rests on: the brand's trademarks, and
// for an authorized store its letter. When that is renewed the badge is not
// left to run out first: a renewed trademark moves a live badge's expiry
// forward in place (same badge, same place in the status lists, a newly signed
// credential carrying the new expiry); a renewed letter brings its own badge,
// which takes over from the store's earlier one at once.

const LIVE = ['ACTIVE', 'SUSPENDED'] as const;

export interface ValidityPeriod {
  validFrom: Date;
  validUntil: Date;
}

/**
 * Where the unbroken cover of `periods` that holds at `now` ends: a renewal
 * starting no later than the current period ends extends it, a gap stops it.
 * Null when nothing covers `now`.
 */
export function coverageEnd(periods: readonly ValidityPeriod[], now: Date): Date | null {
  let end = now.getTime();
  let covered = false;
  for (let extended = true; extended;) {
    extended = false;
    for (const period of periods) {
      const from = period.validFrom.getTime();
      const until = period.validUntil.getTime();
      if (from <= end && until > end) {
        end = until;
        covered = true;
        extended = true;
      }
    }
  }
  return covered ? new Date(end) : null;
}

export interface BadgeEntitlement {
  kind: 'OFFICIAL_STORE' | 'AUTHORIZED_STORE';
  /** The unbroken cover of the brand's approved trademarks from now. */
  proofEnds: Date | null;
  /** For an authorized store: its letter and the letter that granted it, when they still stand. */
  letter?: { status: string; validUntil: Date; grantor: { status: string; validUntil: Date } | null } | null;
}

/** How long a live badge may stand now: the first thing along its chain to end; null when something no longer stands. */
export function entitledExpiry(entitlement: BadgeEntitlement): Date | null {
  const { proofEnds, letter } = entitlement;
  if (!proofEnds) return null;
  if (entitlement.kind === 'OFFICIAL_STORE') return proofEnds;
  if (!letter || letter.status !== 'APPROVED') return null;
  if (letter.grantor && letter.grantor.status !== 'APPROVED') return null;
  const ends = Math.min(proofEnds.getTime(), letter.validUntil.getTime(), letter.grantor?.validUntil.getTime() ?? Infinity);
  return new Date(ends);
}

export interface RenewalContext {
  signing: { key: SigningKey; baseUrl: string };
  /** The task queue whose relay tells the badge's workflow. */
  taskQueue: string;
}

/**
 * Extends a live badge to `expiresAt` and re-signs its credential, in the
 * caller's transaction. Only ever forward: a retry, or a renewal that lost a
 * race to a longer one, changes nothing.
 */
export async function renewBadgeInTransaction(
  tx: Prisma.TransactionClient,
  context: RenewalContext,
  badgeId: string,
  expiresAt: Date,
  reason: string,
  now: Date,
): Promise<boolean> {
  const before = await tx.badge.findUnique({ where: { id: badgeId }, select: { expiresAt: true } });
  if (!before) return false;
  const { count } = await tx.badge.updateMany({
    where: { id: badgeId, status: { in: [...LIVE] }, expiresAt: { lt: expiresAt } },
    data: { expiresAt, reminderSentAt: null },
  });
  if (count === 0) return false;
  const badge = await tx.badge.findUniqueOrThrow({
    where: { id: badgeId },
    include: { brand: { select: { slug: true, name: true } }, store: { select: { name: true } } },
  });
  // A new credential: valid from now, until the new expiry.
  const credential = await signBadgeCredential(context.signing.key, context.signing.baseUrl, { ...badge, issuedAt: now });
  await tx.badge.update({ where: { id: badgeId }, data: { credential } });
  await logBadgeGranted(tx, badgeId, now, { resigned: true });
  await recordAudit(tx, {
    actorId: null,
    action: 'badge.renewed',
    entityType: 'Badge',
    entityId: badgeId,
    reason,
    data: { from: before.expiresAt.toISOString(), to: expiresAt.toISOString(), storeId: badge.storeId },
    at: now,
  });
  await publishBadgeChanged(tx, { badgeId, storeId: badge.storeId });
  await enqueue(tx, context.taskQueue, [{ kind: 'badgeRenewed', badgeId, expiresAt: expiresAt.toISOString() }]);
  return true;
}

const PAGE = 200;

/**
 * After the brand's trademarks changed: every live badge of the brand that the
 * trademarks (and its letter) now cover for longer is extended. Idempotent.
 */
export async function renewBrandBadges(db: Db, context: RenewalContext, brandId: string, now: Date): Promise<number> {
  const brand = await db.brand.findUnique({ where: { id: brandId }, select: { status: true } });
  if (brand?.status !== 'VERIFIED') return 0;
  const trademarks = await db.trademark.findMany({
    where: { brandId, status: 'APPROVED' },
    select: { validFrom: true, validUntil: true },
  });
  const proofEnds = coverageEnd(trademarks, now);
  let renewed = 0;
  for (let after: string | undefined; ;) {
    const badges = await db.badge.findMany({
      where: { brandId, status: { in: [...LIVE] }, ...(after ? { id: { gt: after } } : {}) },
      select: {
        id: true,
        kind: true,
        expiresAt: true,
        letter: {
          select: { status: true, validUntil: true, grantor: { select: { status: true, validUntil: true } } },
        },
      },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    if (badges.length === 0) break;
    after = badges.at(-1)!.id;
    for (const badge of badges) {
      const entitled = entitledExpiry({ kind: badge.kind, proofEnds, letter: badge.letter });
      if (!entitled || entitled <= badge.expiresAt) continue;
      const done = await db.$transaction((tx) =>
        renewBadgeInTransaction(tx, context, badge.id, entitled, "the brand's trademark was renewed", now),
      );
      if (done) renewed++;
    }
  }
  return renewed;
}

export interface CarriedSuspension {
  until: string;
  reason: string;
}

/**
 * A renewed letter's badge takes over from the store's earlier authorized-store
 * badges of the brand that end no later than it: they end now (EXPIRED, as
 * superseded) and their timers stop. A suspension one of them was under carries
 * over to the new badge, which is returned for its workflow to apply.
 */
export async function supersedeEarlierBadges(db: Db, taskQueue: string, badgeId: string, now: Date): Promise<CarriedSuspension | null> {
  return db.$transaction(async (tx) => {
    const badge = await tx.badge.findUnique({ where: { id: badgeId } });
    if (!badge || badge.kind !== 'AUTHORIZED_STORE' || !badge.letterId || !LIVE.includes(badge.status as (typeof LIVE)[number]))
      return null;
    const earlier = await tx.badge.findMany({
      where: {
        storeId: badge.storeId,
        brandId: badge.brandId,
        kind: 'AUTHORIZED_STORE',
        status: { in: [...LIVE] },
        id: { not: badge.id },
        expiresAt: { lte: badge.expiresAt },
      },
    });
    let carried: CarriedSuspension | null = null;
    let superseded = 0;
    for (const old of earlier) {
      const { count } = await tx.badge.updateMany({
        where: { id: old.id, status: { in: [...LIVE] } },
        data: { status: 'EXPIRED', expiresAt: now, suspendedUntil: null },
      });
      if (count === 0) continue;
      superseded++;
      await recordAudit(tx, {
        actorId: null,
        action: 'badge.superseded',
        entityType: 'Badge',
        entityId: old.id,
        reason: 'a renewed authorization letter issued a new badge',
        data: { status: 'EXPIRED', byBadgeId: badge.id, previousExpiresAt: old.expiresAt.toISOString() },
        at: now,
      });
      await publishBadgeChanged(tx, { badgeId: old.id, storeId: old.storeId });
      await logBadgeStatus(tx, old.id, { reason: 'superseded by a renewed badge', actorId: null, at: now });
      await enqueue(tx, taskQueue, [{ kind: 'badgeSuperseded', badgeId: old.id }]);
      if (old.status === 'SUSPENDED' && old.suspendedUntil && old.suspendedUntil > now) {
        if (!carried || Date.parse(carried.until) < old.suspendedUntil.getTime()) {
          carried = { until: old.suspendedUntil.toISOString(), reason: 'suspension carried over from the renewed badge' };
        }
      }
    }
    // The earlier letter stands until its own end with no badge timer left to
    // expire it: the brand's timer, which recomputes now, wakes for it.
    if (superseded > 0) await enqueue(tx, taskQueue, [{ kind: 'brandTrademarksChanged', brandId: badge.brandId }]);
    return carried;
  });
}

/** Marks the letter EXPIRED when its validity has ended, in the caller's transaction, with its log entry. */
async function expireLetterIfEnded(tx: Prisma.TransactionClient, letterId: string, now: Date): Promise<void> {
  const { count } = await tx.authorizationLetter.updateMany({
    where: { id: letterId, status: 'APPROVED', validUntil: { lte: now } },
    data: { status: 'EXPIRED' },
  });
  if (count === 0) return;
  await recordAudit(tx, {
    actorId: null,
    action: 'letter.expired',
    entityType: 'AuthorizationLetter',
    entityId: letterId,
    reason: 'validity ended',
    at: now,
  });
  await logLetterExpired(tx, letterId, now);
}

/** Expires a live badge whose expiry has come, in the caller's transaction; false when there was nothing to do. */
async function expireDueBadge(tx: Prisma.TransactionClient, badgeId: string, now: Date): Promise<boolean> {
  const { count } = await tx.badge.updateMany({
    where: { id: badgeId, status: { in: [...LIVE] }, expiresAt: { lte: now } },
    data: { status: 'EXPIRED', suspendedUntil: null },
  });
  if (count === 0) return false;
  const { storeId } = await tx.badge.findUniqueOrThrow({ where: { id: badgeId }, select: { storeId: true } });
  await recordAudit(tx, {
    actorId: null,
    action: 'badge.expired',
    entityType: 'Badge',
    entityId: badgeId,
    reason: 'validity ended',
    data: { status: 'EXPIRED' },
    at: now,
  });
  await publishBadgeChanged(tx, { badgeId, storeId });
  await logBadgeStatus(tx, badgeId, { reason: 'validity ended', actorId: null, at: now });
  return true;
}

export interface ExpiryOutcome {
  expired: boolean;
  /** Set when the badge was renewed meanwhile: the expiry its timers now follow. */
  renewedUntil: string | null;
}

/**
 * Expires the badge when its expiry has come, and with it its letter when the
 * letter's validity has ended too (one transaction, so the storefront and the
 * brand's overview change together). A badge renewed before its timer fired is
 * left standing and its new expiry returned.
 */
export async function expireBadgeIfDue(db: Db, badgeId: string, now: Date): Promise<ExpiryOutcome> {
  return db.$transaction(async (tx) => {
    const badge = await tx.badge.findUnique({ where: { id: badgeId }, select: { status: true, expiresAt: true, letterId: true } });
    if (!badge) return { expired: false, renewedUntil: null };
    const live = LIVE.includes(badge.status as (typeof LIVE)[number]);
    if (live && badge.expiresAt > now) return { expired: false, renewedUntil: badge.expiresAt.toISOString() };
    const expired = await expireDueBadge(tx, badgeId, now);
    if (badge.letterId) await expireLetterIfEnded(tx, badge.letterId, now);
    return { expired, renewedUntil: null };
  });
}

/**
 * The brand's approved letters whose validity has ended become EXPIRED (those
 * whose badge ended earlier, with the brand's proof), with their badges should
 * the badge's own timer not have fired yet, so the two never disagree; returns
 * when the next approved letter ends, for the brand's timer.
 */
export async function expireEndedLetters(db: Db, brandId: string, now: Date): Promise<Date | null> {
  return db.$transaction(async (tx) => {
    const ended = await tx.authorizationLetter.findMany({
      where: { brandId, status: 'APPROVED', validUntil: { lte: now } },
      select: { id: true, badge: { select: { id: true } } },
    });
    for (const letter of ended) {
      if (letter.badge) await expireDueBadge(tx, letter.badge.id, now);
      await expireLetterIfEnded(tx, letter.id, now);
    }
    const next = await tx.authorizationLetter.findFirst({
      where: { brandId, status: 'APPROVED', validUntil: { gt: now } },
      orderBy: { validUntil: 'asc' },
      select: { validUntil: true },
    });
    return next?.validUntil ?? null;
  });
}
