import type { Badge, BadgeKind, Prisma } from '@prisma/client';
import { signBadgeCredential } from '../credentials/badge-credentials.js';
import type { SigningKey } from '../credentials/signing-key.js';
import { publishBadgeChanged } from '../events/badge-events.js';
import { recordAudit } from './audit.js';
import { publishBadgeEvent } from '../webhooks/event-sources.js';
import { logBadgeGranted } from '../transparency/log-events.js';
import type { ServiceDeps } from './service-deps.js';
import { allocateStatusListSlot, statusListLimits, type StatusListLimits } from './status-lists.js';

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

export interface BadgeSigning {
  key: SigningKey;
  baseUrl: string;
  statusLists: StatusListLimits;
}

/** What issueBadge needs from the service's settings. */
export const badgeSigning = (deps: Pick<ServiceDeps, 'signingKey' | 'config'>): BadgeSigning => ({
  key: deps.signingKey,
  baseUrl: deps.config.PUBLIC_BASE_URL,
  statusLists: statusListLimits(deps.config),
});

/**
 * Creates the badge with its place in the status lists and its signed
 * credential, in the caller's transaction. Throws StatusListsFull when no
 * place can be had; the caller's transaction then writes nothing.
 */
export async function issueBadge(
  tx: Prisma.TransactionClient,
  signing: BadgeSigning,
  input: BadgeToIssue,
  actorId: string,
  now: Date,
): Promise<Badge> {
  const slot = await allocateStatusListSlot(tx, signing.statusLists);
  const created = await tx.badge.create({
    data: { ...input, issuedAt: now, statusListId: slot.listId, statusListIndex: slot.index },
    include: { brand: { select: { slug: true, name: true } }, store: { select: { name: true } } },
  });
  // Read after the insert, whose foreign key holds the store row against an origin change until this commits.
  const origins = await verifiedOrigins(tx, input.storeId);
  const credential = await signBadgeCredential(signing.key, signing.baseUrl, { ...created, origins });
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
  await publishBadgeEvent(tx, 'BADGE_GRANTED', badge.id);
  await logBadgeGranted(tx, badge.id, now);
  return badge;
}

/** The store's verified origins, in the order they were verified. */
export async function verifiedOrigins(tx: Prisma.TransactionClient, storeId: string): Promise<string[]> {
  const rows = await tx.storeOrigin.findMany({
    where: { storeId, verifiedAt: { not: null } },
    orderBy: [{ verifiedAt: 'asc' }, { origin: 'asc' }],
    select: { origin: true },
  });
  return rows.map((row) => row.origin);
}

/**
 * Signs the store's current badges again after its verified origins changed:
 * the same badges in the same status-list places, with credentials naming the
 * new origins. The caller holds the store row (FOR UPDATE), so a badge being
 * issued meanwhile is either seen here or reads the new origins itself.
 * Each change is announced, which also clears the storefront caches.
 */
export async function reissueStoreCredentials(
  tx: Prisma.TransactionClient,
  signing: BadgeSigning,
  storeId: string,
  now: Date,
): Promise<number> {
  const origins = await verifiedOrigins(tx, storeId);
  const badges = await tx.badge.findMany({
    where: { storeId, status: { in: ['ACTIVE', 'SUSPENDED'] } },
    include: { brand: { select: { slug: true, name: true } }, store: { select: { name: true } } },
  });
  for (const badge of badges) {
    const credential = await signBadgeCredential(signing.key, signing.baseUrl, { ...badge, origins, signedAt: now });
    await tx.badge.update({ where: { id: badge.id }, data: { credential } });
    await logBadgeGranted(tx, badge.id, now, { resigned: true });
    await publishBadgeChanged(tx, { badgeId: badge.id, storeId });
  }
  return badges.length;
}
