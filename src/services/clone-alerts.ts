import { Prisma } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { publishProductCodeCloneAlert } from '../webhooks/event-sources.js';
import type { ServiceDeps } from './service-deps.js';

// A code checked more often than one genuine item ever is looks copied. The
// check that takes a code past the threshold records the alert in its own
// statement (src/services/product-codes.ts); this announces it.

export interface CloneAlert {
  id: string;
  productCodeId: string;
  sku: string;
  batch: string | null;
  /** The checks that raised the alert, and the threshold then in force. */
  verificationCountAtAlert: number;
  threshold: number;
  /** The code's checks now. */
  verificationCount: number;
  firstVerifiedAt: Date | null;
  lastVerifiedAt: Date | null;
  raisedAt: Date;
  published: boolean;
  distributorName: string | null;
  distributorReference: string | null;
  distributorAssignedAt: Date | null;
}

export const cloneAlertReason = (count: number, threshold: number) =>
  `Checked ${count} times, more than the ${threshold} checks a genuine item gets: the code may have been copied.`;

/**
 * Writes the alert's webhook event and marks it published, in one transaction,
 * so an alert is announced once. A failure is logged and leaves the alert
 * unpublished, for the worker's sweep to announce (publishPendingCloneAlerts);
 * the consumer's check is answered either way. True when this call announced it.
 */
export async function publishCloneAlert(deps: Pick<ServiceDeps, 'db' | 'clock' | 'logger'>, alertId: string): Promise<boolean> {
  try {
    return await deps.db.$transaction(async (tx) => {
      const claimed = await tx.productCodeCloneAlert.updateMany({
        where: { id: alertId, publishedAt: null },
        data: { publishedAt: deps.clock() },
      });
      if (claimed.count === 0) return false;
      const alert = await tx.productCodeCloneAlert.findUniqueOrThrow({
        where: { id: alertId },
        include: { productCode: { select: { sku: true, batch: true, firstVerifiedAt: true } } },
      });
      const { sku, batch, firstVerifiedAt } = alert.productCode;
      const assigned = batch ? await tx.productBatch.findUnique({ where: { brandId_batch: { brandId: alert.brandId, batch } } }) : null;
      await publishProductCodeCloneAlert(tx, {
        brandId: alert.brandId,
        productCodeId: alert.productCodeId,
        reason: cloneAlertReason(alert.verificationCount, alert.threshold),
        details: {
          sku,
          batch,
          verificationCount: alert.verificationCount,
          threshold: alert.threshold,
          firstVerifiedAt: firstVerifiedAt?.toISOString() ?? null,
          raisedAt: alert.raisedAt.toISOString(),
          distributor: assigned ? { name: assigned.distributorName, reference: assigned.distributorReference } : null,
        },
      });
      return true;
    });
  } catch (error) {
    deps.logger.error({ err: error, alertId }, 'publishing a product-code clone alert failed; the alert stays unpublished');
    return false;
  }
}

/** Alerts the check that raised them should announce within this; older unannounced ones are the sweep's. */
export const CLONE_ALERT_PUBLISH_GRACE_MS = 60_000;
const PENDING_ALERTS_PER_SWEEP = 500;

/**
 * Announces alerts whose announcement failed, or whose API process stopped
 * between recording and announcing them: the oldest first, each once.
 */
export async function publishPendingCloneAlerts(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'logger'>,
  graceMs = CLONE_ALERT_PUBLISH_GRACE_MS,
): Promise<{ pending: number; published: number }> {
  const before = new Date(deps.clock().getTime() - graceMs);
  const pending = await deps.db.productCodeCloneAlert.findMany({
    where: { publishedAt: null, raisedAt: { lt: before } },
    select: { id: true },
    orderBy: [{ raisedAt: 'asc' }, { id: 'asc' }],
    take: PENDING_ALERTS_PER_SWEEP,
  });
  let published = 0;
  for (const { id } of pending) if (await publishCloneAlert(deps, id)) published += 1;
  return { pending: pending.length, published };
}

export interface AlertPageCursor {
  raisedAt: Date;
  id: string;
}

interface AlertRow extends Omit<CloneAlert, 'published'> {
  publishedAt: Date | null;
}

/** Newest first, keyset-paged on (raisedAt, id); one statement with each code and its batch's distributor. */
export async function listCloneAlerts(
  deps: ServiceDeps,
  access: Access,
  brandId: string,
  page: { limit: number; after: AlertPageCursor | null },
): Promise<CloneAlert[]> {
  await access.requireBrandMember(brandId, 'scanInsight.view');
  const after = page.after
    ? Prisma.sql`AND (a."raisedAt", a."id") < (${page.after.raisedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC', ${page.after.id}::uuid)`
    : Prisma.empty;
  const rows = await deps.db.$queryRaw<AlertRow[]>`
    SELECT a."id", a."productCodeId", p."sku", p."batch",
           a."verificationCount" AS "verificationCountAtAlert", a."threshold", p."verificationCount",
           p."firstVerifiedAt" AT TIME ZONE 'UTC' AS "firstVerifiedAt", p."lastVerifiedAt" AT TIME ZONE 'UTC' AS "lastVerifiedAt",
           a."raisedAt" AT TIME ZONE 'UTC' AS "raisedAt", a."publishedAt" AT TIME ZONE 'UTC' AS "publishedAt",
           b."distributorName", b."distributorReference", b."assignedAt" AT TIME ZONE 'UTC' AS "distributorAssignedAt"
    FROM "ProductCodeCloneAlert" a
    JOIN "ProductCode" p ON p."id" = a."productCodeId"
    LEFT JOIN "ProductBatch" b ON b."brandId" = a."brandId" AND b."batch" = p."batch"
    WHERE a."brandId" = ${brandId}::uuid ${after}
    ORDER BY a."raisedAt" DESC, a."id" DESC
    LIMIT ${page.limit}`;
  return rows.map(({ publishedAt, ...row }) => ({ ...row, published: publishedAt !== null }));
}
