import { randomBytes } from 'node:crypto';
import { Prisma } from '@prisma/client';
import type { Db } from '../db/client.js';
import { publishComplaintChanged } from '../events/complaint-events.js';
import { recordAudit } from './audit.js';
import { issueCouponStatement } from './complaint-statements.js';
import { revokeBadgesInTransaction } from './badge-transitions.js';
import { revokeLetterChains } from './letter-revocation.js';
import { lockOwner } from './owner-suspension.js';
import { logStrike } from '../transparency/log-events.js';
import { STRIKES_TO_SUSPEND_STORES, storesStaySuspended } from '../../workflows/strike-policy.js';

// The effects of a COUNTERFEIT decision. Each is made exactly once by a unique
// key on the complaint (one warning, one coupon), so an activity that retries
// or a worker that dies half-way leaves the same result.

const DAY_MS = 24 * 60 * 60 * 1000;
export const STRIKE_WINDOW_DAYS = 365;

/**
 * An owner's active strikes: their warnings of the policy window, across every
 * store they own, so opening another store starts no one afresh.
 */
export const activeStrikesWhere = (ownerId: string, now: Date): Prisma.WarningWhereInput => ({
  store: { ownerId },
  rescindedAt: null,
  issuedAt: { gt: new Date(now.getTime() - STRIKE_WINDOW_DAYS * DAY_MS) },
});

const ownerOfComplaintStore = async (tx: Prisma.TransactionClient, complaintId: string) => {
  const { storeId, store } = await tx.complaint.findUniqueOrThrow({
    where: { id: complaintId },
    select: { storeId: true, store: { select: { ownerId: true } } },
  });
  return { storeId, ownerId: store.ownerId };
};

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export async function issueWarning(
  db: Db,
  complaintId: string,
  now: Date,
): Promise<{ warningId: string; strikeNumber: number; liveBadgeIds: string[] }> {
  const { warning, ownerId } = await db
    .$transaction(async (tx) => {
      // The complaint's warning if it has one, else who gets the strike: one statement.
      const complaint = await tx.complaint.findUniqueOrThrow({
        where: { id: complaintId },
        select: { storeId: true, brandId: true, store: { select: { ownerId: true } }, warning: true },
      });
      const { storeId, brandId } = complaint;
      const ownerId = complaint.store.ownerId;
      if (complaint.warning) return { warning: complaint.warning, ownerId };
      // One owner's strikes are numbered one at a time.
      await lockOwner(tx, ownerId);
      const strikeNumber = (await tx.warning.count({ where: activeStrikesWhere(ownerId, now) })) + 1;
      const created = await tx.warning.create({ data: { storeId, complaintId, strikeNumber, issuedAt: now } });
      await recordAudit(tx, {
        actorId: null,
        action: 'warning.issued',
        entityType: 'Warning',
        entityId: created.id,
        reason: `counterfeit confirmed (complaint ${complaintId})`,
        data: { storeId, ownerId, strikeNumber },
        at: now,
      });
      await logStrike(tx, created, { rescinded: false, at: now }, { brandId });
      await publishComplaintChanged(tx, complaintId);
      return { warning: created, ownerId };
    })
    .catch(async (error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      const raced = await db.warning.findUniqueOrThrow({ where: { complaintId }, include: { store: { select: { ownerId: true } } } });
      return { warning: raced, ownerId: raced.store.ownerId };
    });
  // A strike is the owner's, so it reaches the badges of every store they own.
  const live = await db.badge.findMany({ where: { store: { ownerId }, status: 'ACTIVE' }, select: { id: true } });
  return { warningId: warning.id, strikeNumber: warning.strikeNumber, liveBadgeIds: live.map((b) => b.id) };
}

const couponCode = () => randomBytes(10).toString('base64url').replace(/[-_]/g, '').slice(0, 12).toUpperCase().padEnd(12, 'X');

export async function issueCoupon(
  db: Db,
  complaintId: string,
  value: { amount: string; currency: string },
  validityDays: number,
  now: Date,
): Promise<{ couponId: string }> {
  const couponId = await issueCouponStatement(
    db,
    { complaintId, code: couponCode(), ...value, expiresAt: new Date(now.getTime() + validityDays * DAY_MS) },
    now,
  );
  return { couponId };
}

/**
 * The strikes that suspend stores (see strike-policy): every store of the owner is suspended and their badges revoked, and
 * so is the authority they handed on: the letters their stores hold, the
 * letters granted under those (other stores' sub-distribution) and those
 * letters' badges. Returns the badges it revoked.
 */
export async function suspendStoreForStrikes(db: Db, complaintId: string, now: Date): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const { ownerId } = await ownerOfComplaintStore(tx, complaintId);
    await lockOwner(tx, ownerId);
    const reason = `strike ${STRIKES_TO_SUSPEND_STORES} (complaint ${complaintId})`;
    const stores = await tx.store.findMany({ where: { ownerId, status: 'ACTIVE' }, select: { id: true } });
    for (const store of stores) {
      const { count } = await tx.store.updateMany({
        where: { id: store.id, status: 'ACTIVE' },
        data: { status: 'SUSPENDED', suspendedReason: reason, suspendedForStrikes: true },
      });
      if (count > 0)
        await recordAudit(tx, { actorId: null, action: 'store.suspended', entityType: 'Store', entityId: store.id, reason, at: now });
    }
    const live = await tx.badge.findMany({ where: { store: { ownerId }, status: { in: ['ACTIVE', 'SUSPENDED'] } }, select: { id: true } });
    const revoked = await revokeBadgesInTransaction(
      tx,
      live.map((b) => b.id),
      reason,
      null,
      now,
    );
    const held = await tx.authorizationLetter.findMany({
      where: { store: { ownerId }, status: { in: ['APPROVED', 'SUBMITTED'] } },
      select: { id: true },
    });
    const chain = await revokeLetterChains(
      tx,
      held.map((l) => l.id),
      reason,
      null,
      now,
    );
    return [...revoked, ...chain.revokedBadgeIds];
  });
}

/**
 * An overturned COUNTERFEIT verdict: the warning is rescinded, a suspension of
 * the owner's stores for strikes is lifted once they fall below the strikes that suspend, and the badges still suspended are
 * returned so their workflows can restore them. Revoked badges stay revoked.
 */
export async function rescindWarning(
  db: Db,
  complaintId: string,
  now: Date,
): Promise<{ strikeNumber: number | null; suspendedBadgeIds: string[] }> {
  return db.$transaction(async (tx) => {
    const warning = await tx.warning.findUnique({ where: { complaintId }, include: { store: { select: { ownerId: true } } } });
    if (!warning) return { strikeNumber: null, suspendedBadgeIds: [] };
    const { ownerId } = warning.store;
    if (!warning.rescindedAt) {
      await lockOwner(tx, ownerId);
      await tx.warning.update({ where: { id: warning.id }, data: { rescindedAt: now } });
      await recordAudit(tx, {
        actorId: null,
        action: 'warning.rescinded',
        entityType: 'Warning',
        entityId: warning.id,
        reason: 'verdict overturned on appeal',
        at: now,
      });
      await logStrike(tx, warning, { rescinded: true, at: now });
      // Below the strikes that suspend stores the owner is in good standing again, whichever strike was overturned.
      if (!storesStaySuspended(await tx.warning.count({ where: activeStrikesWhere(ownerId, now) }))) {
        const suspended = await tx.store.findMany({
          where: { ownerId, status: 'SUSPENDED', suspendedForStrikes: true },
          select: { id: true },
        });
        for (const store of suspended) {
          await tx.store.update({
            where: { id: store.id },
            data: { status: 'ACTIVE', suspendedReason: null, suspendedForStrikes: false },
          });
          await recordAudit(tx, {
            actorId: null,
            action: 'store.reinstated',
            entityType: 'Store',
            entityId: store.id,
            reason: 'strike rescinded',
            at: now,
          });
        }
      }
      await publishComplaintChanged(tx, complaintId);
    }
    const suspended = await tx.badge.findMany({ where: { store: { ownerId }, status: 'SUSPENDED' }, select: { id: true } });
    return { strikeNumber: warning.strikeNumber, suspendedBadgeIds: suspended.map((b) => b.id) };
  });
}
