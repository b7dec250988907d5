import type { Prisma } from '@prisma/client';
import { recordAudit } from './audit.js';
import { revokeBadgesInTransaction } from './badge-transitions.js';
import { logLetterChange } from '../transparency/log-events.js';

// Authority flows down the chain brand → letter → letters granted under it. When
// a letter stops standing (the brand revokes it, a reviewer revokes its badge,
// its store reaches strike 3), everything granted under it stops with it: the
// letters at every depth below, and their badges.

const LIVE_LETTER = ['APPROVED', 'SUBMITTED'] as const;

export interface LetterRevocation {
  /** Letters this call revoked, the roots first. */
  letterIds: string[];
  /** Badges this call revoked; their workflows must hear of it. */
  revokedBadgeIds: string[];
}

/**
 * Revokes the given letters, every live letter granted under them (at any
 * depth) and the badges of all of them, inside the caller's transaction.
 * Letters and badges already revoked are left as they are, so a retry changes
 * nothing twice.
 */
export async function revokeLetterChains(
  tx: Prisma.TransactionClient,
  rootLetterIds: string[],
  reason: string,
  actorId: string | null,
  now: Date,
): Promise<LetterRevocation> {
  const roots = new Set(rootLetterIds);
  const chain: string[] = [];
  let frontier = [...roots];
  // Chains stop at depth 2 today; walking until nothing new turns up keeps a deeper chain safe too.
  while (frontier.length > 0) {
    chain.push(...frontier);
    const granted = await tx.authorizationLetter.findMany({
      where: { grantorLetterId: { in: frontier }, status: { in: [...LIVE_LETTER] }, id: { notIn: chain } },
      select: { id: true },
    });
    frontier = granted.map((g) => g.id);
  }

  const live = await tx.authorizationLetter.findMany({
    where: { id: { in: chain }, status: { in: [...LIVE_LETTER] } },
    select: { id: true },
  });
  const letterIds = chain.filter((id) => live.some((l) => l.id === id));
  if (letterIds.length > 0) {
    await tx.authorizationLetter.updateMany({
      where: { id: { in: letterIds }, status: { in: [...LIVE_LETTER] } },
      data: { status: 'REVOKED', revokedReason: reason },
    });
    for (const id of letterIds) {
      await recordAudit(tx, {
        actorId,
        action: 'letter.revoked',
        entityType: 'AuthorizationLetter',
        entityId: id,
        reason: roots.has(id) ? reason : `grantor letter revoked: ${reason}`,
        at: now,
      });
      await logLetterChange(tx, id, { approved: false, reason, byBrand: actorId !== null, grantorRevoked: !roots.has(id), at: now });
    }
  }

  // Badges of letters revoked earlier in the chain may still stand (a revocation
  // made before the cascade existed): the whole chain's badges are revoked.
  const badges = await tx.badge.findMany({ where: { letterId: { in: chain } }, select: { id: true } });
  const revokedBadgeIds = await revokeBadgesInTransaction(
    tx,
    badges.map((b) => b.id),
    `authorization revoked: ${reason}`,
    actorId,
    now,
  );
  return { letterIds, revokedBadgeIds };
}
