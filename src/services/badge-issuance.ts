import type { Badge, BadgeKind, Prisma } from '@prisma/client';
import { signBadgeCredential } from '../credentials/badge-credentials.js';
import type { SigningKey } from '../credentials/signing-key.js';
import { publishBadgeChanged } from '../events/badge-events.js';
import { recordAudit } from './audit.js';

/** The end of the brand's current proof: the latest approved trademark valid now, or null when the brand is not verified. */
export async function brandProofEndsAt(tx: Prisma.TransactionClient, brandId: string, now: Date): Promise<Date | null> {
  const covering = await tx.trademark.findFirst({
    where: { brandId, status: 'APPROVED', validFrom: { lte: now }, validUntil: { gt: now } },
    orderBy: { validUntil: 'desc' },
    select: { validUntil: true },
  });
  return covering?.validUntil ?? null;
}

export interface BadgeToIssue {
  storeId: string;
  brandId: string;
  kind: BadgeKind;
  expiresAt: Date;
  letterId?: string;
}

/** Creates the badge with its signed credential, in the caller's transaction. */
export async function issueBadge(
  tx: Prisma.TransactionClient,
  signing: { key: SigningKey; baseUrl: string },
  input: BadgeToIssue,
  actorId: string,
  now: Date,
): Promise<Badge> {
  const created = await tx.badge.create({
    data: { ...input, issuedAt: now },
    include: { brand: { select: { slug: true, name: true } }, store: { select: { name: true } } },
  });
  const credential = await signBadgeCredential(signing.key, signing.baseUrl, created);
  const badge = await tx.badge.update({ where: { id: created.id }, data: { credential } });
  await recordAudit(tx, {
    actorId,
    action: 'badge.issued',
    entityType: 'Badge',
    entityId: badge.id,
    data: { kind: badge.kind, expiresAt: badge.expiresAt.toISOString() },
    at: now,
  });
  await publishBadgeChanged(tx, { badgeId: badge.id, storeId: badge.storeId });
  return badge;
}
