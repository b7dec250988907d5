import { Prisma, type AuthorizationStatus, type BadgeStatus, type Store } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { ForbiddenError } from '../errors.js';
import type { ServiceDeps } from './service-deps.js';

// A brand's resellers: every store its letters authorized, one row per store,
// with the letter chain from the brand down to the store, the store's badge
// and when it ends. A store that holds several letters of the brand (a renewal,
// a second distributor) is shown by the one whose badge stands, else its
// latest. Two SQL statements answer a page and its header, whatever its size.

/** Letters that authorized a store at some point; submitted and rejected ones never did. */
const AUTHORIZING: AuthorizationStatus[] = ['APPROVED', 'EXPIRED', 'REVOKED'];
const LIVE_BADGE: BadgeStatus[] = ['ACTIVE', 'SUSPENDED'];

export const RESELLER_PAGE_DEFAULT = 20;
export const RESELLER_PAGE_MAX = 100;

export interface ResellerFilter {
  /** The badge's status; a store whose letter has no badge has none and matches no status. */
  status?: BadgeStatus[] | null;
  /** Only live badges whose renewal reminder is due (expiry within the reminder lead). */
  expiresSoon?: boolean | null;
  chainDepth?: number | null;
}

export interface ResellerLetter {
  id: string;
  storeId: string;
  storeName: string;
  chainDepth: number;
  status: AuthorizationStatus;
  scope: string;
  validFrom: Date;
  validUntil: Date;
  revokedReason: string | null;
}

export interface ResellerBadge {
  id: string;
  status: BadgeStatus;
  expiresAt: Date;
  reminderSentAt: Date | null;
}

export interface Reseller {
  storeId: string;
  store: Store;
  /** From the brand down: the letter the brand granted first, the store's own last. */
  chain: ResellerLetter[];
  letter: ResellerLetter;
  badge: ResellerBadge | null;
  /** The badge's expiry, or the letter's end when it has no badge. */
  expiresAt: Date;
  /** A live badge whose renewal reminder is due. */
  expiresSoon: boolean;
}

export interface ResellerCounts {
  total: number;
  active: number;
  suspended: number;
  expired: number;
  revoked: number;
  expiringSoon: number;
}

export interface ResellerPage {
  rows: Reseller[];
  hasNextPage: boolean;
}

/** The brand's members, reviewers and admins. */
export async function authorizeResellerOverview(access: Access, brandId: string): Promise<void> {
  access.requireActor();
  if (access.seesEverything || (await access.isBrandMember(brandId))) return;
  throw new ForbiddenError("Only the brand's members, reviewers and admins see its resellers.");
}

/** Pure: a live badge is due for its renewal reminder from `leadSeconds` before it ends. */
export function expiresSoon(badge: { status: BadgeStatus; expiresAt: Date } | null, now: Date, leadSeconds: number): boolean {
  if (!badge || !LIVE_BADGE.includes(badge.status)) return false;
  return badge.expiresAt.getTime() - now.getTime() <= leadSeconds * 1000;
}

const currentLetters = (brandId: string) => Prisma.sql`
  SELECT DISTINCT ON (l."storeId") l."id", l."storeId"
  FROM "AuthorizationLetter" l
  LEFT JOIN "Badge" b ON b."letterId" = l."id"
  WHERE l."brandId" = ${brandId}::uuid AND l."status" = ANY(${AUTHORIZING}::"AuthorizationStatus"[])
  ORDER BY l."storeId", (b."status" = ANY(${LIVE_BADGE}::"BadgeStatus"[])) DESC NULLS LAST, l."validUntil" DESC, l."id" DESC`;

interface Row {
  id: string;
  storeId: string;
  chainDepth: number;
  status: AuthorizationStatus;
  scope: string;
  validFrom: Date;
  validUntil: Date;
  revokedReason: string | null;
  storeName: string;
  storeStatus: 'ACTIVE' | 'SUSPENDED';
  storeOwnerId: string;
  storeCreatedAt: Date;
  storeHandle: string;
  storeSuspendedReason: string | null;
  storeSuspendedForStrikes: boolean;
  badgeId: string | null;
  badgeStatus: BadgeStatus | null;
  badgeExpiresAt: Date | null;
  badgeReminderSentAt: Date | null;
  grantorId: string | null;
  grantorStoreId: string | null;
  grantorStoreName: string | null;
  grantorChainDepth: number | null;
  grantorStatus: AuthorizationStatus | null;
  grantorScope: string | null;
  grantorValidFrom: Date | null;
  grantorValidUntil: Date | null;
  grantorRevokedReason: string | null;
}

export async function listResellers(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>,
  brandId: string,
  filter: ResellerFilter,
  page: { first: number; afterStoreId: string | null },
): Promise<ResellerPage> {
  const now = deps.clock();
  const soon = new Date(now.getTime() + deps.config.BADGE_RENEWAL_REMINDER_SECONDS * 1000);
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filter.status?.length) conditions.push(Prisma.sql`b."status" = ANY(${filter.status}::"BadgeStatus"[])`);
  if (filter.expiresSoon === true)
    conditions.push(Prisma.sql`b."status" = ANY(${LIVE_BADGE}::"BadgeStatus"[]) AND b."expiresAt" <= ${soon}`);
  if (filter.expiresSoon === false)
    conditions.push(
      Prisma.sql`NOT (b."status" IS NOT NULL AND b."status" = ANY(${LIVE_BADGE}::"BadgeStatus"[]) AND b."expiresAt" <= ${soon})`,
    );
  if (filter.chainDepth != null) conditions.push(Prisma.sql`l."chainDepth" = ${filter.chainDepth}`);
  if (page.afterStoreId) conditions.push(Prisma.sql`l."storeId" > ${page.afterStoreId}::uuid`);

  // Chains stop at depth 2 (the brand, a distributor, the store): one grantor is joined.
  const rows = await deps.db.$queryRaw<Row[]>`
    WITH current AS (${currentLetters(brandId)})
    SELECT l."id"::text AS "id", l."storeId"::text AS "storeId", l."chainDepth", l."status"::text AS "status", l."scope",
           l."validFrom", l."validUntil", l."revokedReason",
           s."name" AS "storeName", s."status"::text AS "storeStatus", s."ownerId"::text AS "storeOwnerId", s."createdAt" AS "storeCreatedAt",
           s."handle" AS "storeHandle", s."suspendedReason" AS "storeSuspendedReason", s."suspendedForStrikes" AS "storeSuspendedForStrikes",
           b."id"::text AS "badgeId", b."status"::text AS "badgeStatus", b."expiresAt" AS "badgeExpiresAt",
           b."reminderSentAt" AS "badgeReminderSentAt",
           g."id"::text AS "grantorId", g."storeId"::text AS "grantorStoreId", gs."name" AS "grantorStoreName",
           g."chainDepth" AS "grantorChainDepth", g."status"::text AS "grantorStatus", g."scope" AS "grantorScope",
           g."validFrom" AS "grantorValidFrom", g."validUntil" AS "grantorValidUntil", g."revokedReason" AS "grantorRevokedReason"
    FROM current c
    JOIN "AuthorizationLetter" l ON l."id" = c."id"
    JOIN "Store" s ON s."id" = l."storeId"
    LEFT JOIN "Badge" b ON b."letterId" = l."id"
    LEFT JOIN "AuthorizationLetter" g ON g."id" = l."grantorLetterId"
    LEFT JOIN "Store" gs ON gs."id" = g."storeId"
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY l."storeId"
    LIMIT ${page.first + 1}`;

  const lead = deps.config.BADGE_RENEWAL_REMINDER_SECONDS;
  return {
    hasNextPage: rows.length > page.first,
    rows: rows.slice(0, page.first).map((row) => {
      const letter: ResellerLetter = {
        id: row.id,
        storeId: row.storeId,
        storeName: row.storeName,
        chainDepth: row.chainDepth,
        status: row.status,
        scope: row.scope,
        validFrom: row.validFrom,
        validUntil: row.validUntil,
        revokedReason: row.revokedReason,
      };
      const grantor: ResellerLetter | null = row.grantorId
        ? {
            id: row.grantorId,
            storeId: row.grantorStoreId!,
            storeName: row.grantorStoreName!,
            chainDepth: row.grantorChainDepth!,
            status: row.grantorStatus!,
            scope: row.grantorScope!,
            validFrom: row.grantorValidFrom!,
            validUntil: row.grantorValidUntil!,
            revokedReason: row.grantorRevokedReason,
          }
        : null;
      const badge: ResellerBadge | null = row.badgeId
        ? {
            id: row.badgeId,
            status: row.badgeStatus!,
            expiresAt: row.badgeExpiresAt!,
            reminderSentAt: row.badgeReminderSentAt,
          }
        : null;
      return {
        storeId: row.storeId,
        store: {
          id: row.storeId,
          name: row.storeName,
          status: row.storeStatus,
          ownerId: row.storeOwnerId,
          createdAt: row.storeCreatedAt,
          handle: row.storeHandle,
          suspendedReason: row.storeSuspendedReason,
          suspendedForStrikes: row.storeSuspendedForStrikes,
        },
        chain: grantor ? [grantor, letter] : [letter],
        letter,
        badge,
        expiresAt: badge?.expiresAt ?? letter.validUntil,
        expiresSoon: expiresSoon(badge, now, lead),
      };
    }),
  };
}

/** The header: every reseller of the brand by its badge's status, regardless of the page or filter. */
export async function resellerCounts(deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>, brandId: string): Promise<ResellerCounts> {
  const soon = new Date(deps.clock().getTime() + deps.config.BADGE_RENEWAL_REMINDER_SECONDS * 1000);
  const [counts] = await deps.db.$queryRaw<Array<Record<keyof ResellerCounts, bigint>>>`
    WITH current AS (${currentLetters(brandId)})
    SELECT count(*) AS "total",
           count(*) FILTER (WHERE b."status" = 'ACTIVE') AS "active",
           count(*) FILTER (WHERE b."status" = 'SUSPENDED') AS "suspended",
           count(*) FILTER (WHERE b."status" = 'EXPIRED') AS "expired",
           count(*) FILTER (WHERE b."status" = 'REVOKED') AS "revoked",
           count(*) FILTER (WHERE b."status" = ANY(${LIVE_BADGE}::"BadgeStatus"[]) AND b."expiresAt" <= ${soon}) AS "expiringSoon"
    FROM current c
    LEFT JOIN "Badge" b ON b."letterId" = c."id"`;
  return {
    total: Number(counts!.total),
    active: Number(counts!.active),
    suspended: Number(counts!.suspended),
    expired: Number(counts!.expired),
    revoked: Number(counts!.revoked),
    expiringSoon: Number(counts!.expiringSoon),
  };
}
