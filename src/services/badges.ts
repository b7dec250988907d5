import { Prisma, type Badge, type Brand, type Store } from '@prisma/client';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { checkBadgeCredential } from '../credentials/badge-credentials.js';
import { directSql } from '../db/direct-sql.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { badgeSigning, brandProofEndsAt, issueBadge } from './badge-issuance.js';
import { brandOfColumns, type BrandColumns } from './brand-columns.js';
import { revokeBadgesInTransaction } from './badge-transitions.js';
import { revokeLetterChains } from './letter-revocation.js';
import { parseInput, requiredText } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import { StatusListsFull } from './status-lists.js';
import { loadOwnedStore } from './stores.js';
import { TEXT_RULES } from './text-limits.js';

/** Badges a storefront shows: the ones that currently stand (a suspended one shows as such). */
export const CURRENT_BADGE_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;

export async function requestOfficialBadge(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string; brandId: string },
): Promise<Result<Badge>> {
  const store = await loadOwnedStore(deps, access, input.storeId, ['input', 'storeId']);
  if (!store.ok) return store;
  // Membership first: an unknown brand id is FORBIDDEN like another brand's.
  const actor = await access.requireBrandPermission(input.brandId, 'stores.authorize');
  const brand = await deps.db.brand.findUniqueOrThrow({ where: { id: input.brandId } });

  const existing = await deps.db.badge.findFirst({
    where: { storeId: store.value.id, brandId: brand.id, kind: 'OFFICIAL_STORE', status: { in: [...CURRENT_BADGE_STATUSES] } },
  });
  if (existing) return ok(existing);

  const now = deps.clock();
  try {
    const badge = await deps.db.$transaction(async (tx) => {
      const expiresAt = await brandProofEndsAt(tx, brand.id, now);
      if (!expiresAt || brand.status !== 'VERIFIED') return null;
      const issued = await issueBadge(
        tx,
        badgeSigning(deps),
        { storeId: store.value.id, brandId: brand.id, kind: 'OFFICIAL_STORE', expiresAt },
        actor.id,
        now,
      );
      await deps.workflows.badgeIssued(tx, issued);
      return issued;
    });
    if (!badge)
      return fail('NOT_ALLOWED_IN_STATE', 'The brand is not VERIFIED: a reviewer must approve a valid trademark first.', [
        'input',
        'brandId',
      ]);
    return ok(badge);
  } catch (error) {
    if (error instanceof StatusListsFull) return fail('LIMIT_EXCEEDED', error.message);
    // Two requests at once: the partial unique index lets one through; the other returns its badge.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await deps.db.badge.findFirst({
        where: { storeId: store.value.id, brandId: brand.id, kind: 'OFFICIAL_STORE', status: { in: [...CURRENT_BADGE_STATUSES] } },
      });
      if (winner) return ok(winner);
    }
    throw error;
  }
}

const revocationSchema = z.object({ reason: requiredText(TEXT_RULES.revocationReason) });

/**
 * A reviewer's or admin's revocation. An AUTHORIZED_STORE badge stands for its
 * letter: the letter is revoked with it, and so is everything granted under the
 * letter (as when the brand revokes the letter), so no sub-distributor keeps a
 * badge whose grantor lost theirs.
 */
export async function revokeBadge(deps: ServiceDeps, access: Access, input: { id: string; reason: string }): Promise<Result<Badge>> {
  const actor = access.requireActor();
  if (!access.hasRole('REVIEWER', 'ADMIN')) throw new ForbiddenError('Only reviewers and admins revoke badges.');
  const parsed = parseInput(revocationSchema, input);
  if (!parsed.ok) return parsed;
  const { reason } = parsed.value;
  const badge = await deps.db.badge.findUnique({ where: { id: input.id } });
  if (!badge) return fail('NOT_FOUND', 'No badge has this id.', ['input', 'id']);
  const now = deps.clock();
  const revoked = await deps.db.$transaction(async (tx) => {
    const own = await revokeBadgesInTransaction(tx, [badge.id], reason, actor.id, now);
    const chain =
      own.length > 0 && badge.letterId
        ? (await revokeLetterChains(tx, [badge.letterId], `badge revoked: ${reason}`, actor.id, now)).revokedBadgeIds
        : [];
    await deps.workflows.badgesRevoked(tx, [...own, ...chain]);
    return [...own, ...chain];
  });
  if (revoked.length === 0)
    return fail('NOT_ALLOWED_IN_STATE', `The badge is ${badge.status}; only ACTIVE or SUSPENDED badges can be revoked.`, ['input', 'id']);
  return ok(await deps.db.badge.findUniqueOrThrow({ where: { id: badge.id } }));
}

export type BadgeWithBrandAndStore = Badge & { brand: Brand; store: Store };

interface StorefrontRow extends BrandColumns {
  id: string;
  storeId: string;
  kind: Badge['kind'];
  status: Badge['status'];
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  suspendedUntil: Date | null;
  reminderSentAt: Date | null;
  letterId: string | null;
  statusListId: number;
  statusListIndex: number;
  credential: string | null;
  publishedCredential: string | null;
  updatedAt: Date;
  storeName: string;
  storeOwnerId: string;
  storeStatus: Store['status'];
  storeSuspendedReason: string | null;
  storeSuspendedForStrikes: boolean;
  storeCreatedAt: Date;
  storeHandle: string;
}

const CURRENT_STATUSES = [...CURRENT_BADGE_STATUSES];

// Times are stored in UTC, as Prisma does, and read back as timestamptz so the driver need not guess.
const STOREFRONT_STATEMENT = {
  name: 'storefront-badges',
  text: `
    SELECT b."id", b."storeId", b."brandId", b."kind"::text AS "kind", b."status"::text AS "status",
           b."issuedAt" AT TIME ZONE 'UTC' AS "issuedAt", b."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt",
           b."revokedAt" AT TIME ZONE 'UTC' AS "revokedAt", b."revokedReason",
           b."suspendedUntil" AT TIME ZONE 'UTC' AS "suspendedUntil", b."reminderSentAt" AT TIME ZONE 'UTC' AS "reminderSentAt",
           b."letterId", b."statusListId", b."statusListIndex", b."credential", b."publishedCredential", b."updatedAt" AT TIME ZONE 'UTC' AS "updatedAt",
           b."brandSlug", b."brandName", b."brandStatus",
           b."brandCreatedAt" AT TIME ZONE 'UTC' AS "brandCreatedAt", b."brandUpdatedAt" AT TIME ZONE 'UTC' AS "brandUpdatedAt",
           s."name" AS "storeName", s."ownerId" AS "storeOwnerId", s."status"::text AS "storeStatus",
           s."suspendedReason" AS "storeSuspendedReason", s."suspendedForStrikes" AS "storeSuspendedForStrikes",
           s."createdAt" AT TIME ZONE 'UTC' AS "storeCreatedAt", s."handle" AS "storeHandle"
    FROM (
      SELECT b.*, br."slug" AS "brandSlug", br."name" AS "brandName", br."status"::text AS "brandStatus",
             br."createdAt" AS "brandCreatedAt", br."updatedAt" AS "brandUpdatedAt",
             row_number() OVER (PARTITION BY b."storeId" ORDER BY b."issuedAt", b."id") AS "rank"
      FROM "Badge" b
      JOIN "Brand" br ON br."id" = b."brandId"
      WHERE b."storeId" = ANY($1::uuid[]) AND b."status" = ANY($2::"BadgeStatus"[]) AND ($3::text IS NULL OR br."slug" = $3)
    ) b
    JOIN "Store" s ON s."id" = b."storeId"
    WHERE b."rank" <= $4
    ORDER BY b."issuedAt", b."id"`,
};

/**
 * The storefront path: one SQL statement for any number of stores, with each
 * badge's brand and store joined in, and at most `perStore` badges per store
 * (the oldest first). The store ids go as one array parameter, each id once.
 */
export async function currentBadgesOfStores(
  deps: Pick<ServiceDeps, 'db'>,
  storeIds: string[],
  perStore: number,
  brandSlug?: string | null,
): Promise<BadgeWithBrandAndStore[]> {
  const ids = [...new Set(storeIds)];
  if (ids.length === 0) return [];
  const rows = await directSql(deps.db).rows<StorefrontRow>(STOREFRONT_STATEMENT, [ids, CURRENT_STATUSES, brandSlug ?? null, perStore]);
  return rows.map((row) => ({
    id: row.id,
    storeId: row.storeId,
    brandId: row.brandId,
    kind: row.kind,
    status: row.status,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
    suspendedUntil: row.suspendedUntil,
    reminderSentAt: row.reminderSentAt,
    letterId: row.letterId,
    statusListId: row.statusListId,
    statusListIndex: row.statusListIndex,
    credential: row.credential,
    publishedCredential: row.publishedCredential,
    updatedAt: row.updatedAt,
    brand: brandOfColumns(row),
    store: {
      id: row.storeId,
      name: row.storeName,
      ownerId: row.storeOwnerId,
      status: row.storeStatus,
      suspendedReason: row.storeSuspendedReason,
      suspendedForStrikes: row.storeSuspendedForStrikes,
      createdAt: row.storeCreatedAt,
      handle: row.storeHandle,
    },
  }));
}

type CredentialColumns = Pick<Badge, 'status' | 'credential' | 'publishedCredential'>;

/**
 * The credential the service hands out for a badge: none unless it is active,
 * and, where the service keeps a transparency log, only one whose grant a
 * published checkpoint covers, so every credential anyone holds can be proven
 * to be in the public log.
 */
export function handedOutCredential(badge: CredentialColumns, logKept: boolean): string | null {
  if (badge.status !== 'ACTIVE') return null;
  return logKept ? badge.publishedCredential : badge.credential;
}

/** Whether the badge's newest credential still waits for a checkpoint to cover its grant. */
export const credentialAwaitsLog = (badge: CredentialColumns, logKept: boolean): boolean =>
  logKept && badge.status === 'ACTIVE' && badge.credential !== null && badge.credential !== badge.publishedCredential;

export interface BadgeVerification {
  valid: boolean;
  status: Badge['status'] | null;
  badge: Badge | null;
  reason: string | null;
}

export async function verifyBadgeCredential(deps: ServiceDeps, credential: string): Promise<BadgeVerification> {
  const check = await checkBadgeCredential(deps.signingKey, deps.config.PUBLIC_BASE_URL, credential, deps.clock());
  const badgeId = check.badgeGlobalId ? decodedBadgeId(check.badgeGlobalId) : null;
  const badge = badgeId ? await deps.db.badge.findUnique({ where: { id: badgeId } }) : null;
  if (!check.ok) return { valid: false, status: badge?.status ?? null, badge, reason: check.reason };
  // The credential handed out may still be the previous one while a new one awaits its checkpoint.
  if (!badge || (badge.credential !== credential && badge.publishedCredential !== credential))
    return { valid: false, status: null, badge: null, reason: 'No badge was issued with this credential.' };
  if (badge.status !== 'ACTIVE') {
    const why =
      badge.status === 'REVOKED' ? `The badge was revoked: ${badge.revokedReason ?? 'no reason given'}.` : `The badge is ${badge.status}.`;
    return { valid: false, status: badge.status, badge, reason: why };
  }
  return { valid: true, status: badge.status, badge, reason: null };
}

function decodedBadgeId(globalId: string): string | null {
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename === 'Badge' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
  } catch {
    return null;
  }
}
