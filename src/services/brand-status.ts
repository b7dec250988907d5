import type { BrandStatus, Prisma } from '@prisma/client';
import { recordAudit } from './audit.js';

export interface BrandStatusRefresh {
  status: BrandStatus;
  changed: boolean;
  /** When the status may next change on its own (a trademark starting or ending), or null. */
  nextChangeAt: Date | null;
}

/**
 * A brand is VERIFIED while an APPROVED trademark's validity covers `now`.
 * Approved trademarks whose validity has ended become EXPIRED. Recomputing is
 * idempotent, so an activity may run it any number of times.
 */
export async function refreshBrandStatus(
  tx: Prisma.TransactionClient,
  brandId: string,
  now: Date,
  reason = 'trademark validity changed',
): Promise<BrandStatusRefresh | null> {
  const brand = await tx.brand.findUnique({ where: { id: brandId }, select: { status: true } });
  if (!brand) return null;

  const ended = await tx.trademark.findMany({
    where: { brandId, status: 'APPROVED', validUntil: { lte: now } },
    select: { id: true },
  });
  if (ended.length > 0) {
    await tx.trademark.updateMany({ where: { id: { in: ended.map((t) => t.id) } }, data: { status: 'EXPIRED' } });
    for (const { id } of ended) {
      await recordAudit(tx, {
        actorId: null,
        action: 'trademark.expired',
        entityType: 'Trademark',
        entityId: id,
        reason: 'validity ended',
        at: now,
      });
    }
  }

  const approved = await tx.trademark.findMany({
    where: { brandId, status: 'APPROVED' },
    select: { validFrom: true, validUntil: true },
  });
  const covered = approved.some((t) => t.validFrom <= now && now < t.validUntil);
  const upcoming = approved
    .flatMap((t) => [t.validFrom, t.validUntil])
    .filter((at) => at > now)
    .sort((a, b) => a.getTime() - b.getTime());

  // Suspension is decided by people, never undone by a timer.
  const status: BrandStatus = brand.status === 'SUSPENDED' ? 'SUSPENDED' : covered ? 'VERIFIED' : 'PENDING_VERIFICATION';
  const changed = status !== brand.status;
  if (changed) {
    await tx.brand.update({ where: { id: brandId }, data: { status } });
    await recordAudit(tx, {
      actorId: null,
      action: 'brand.status_changed',
      entityType: 'Brand',
      entityId: brandId,
      reason,
      data: { from: brand.status, to: status },
      at: now,
    });
  }
  return { status, changed, nextChangeAt: upcoming[0] ?? null };
}
