import type { Coupon } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { publishComplaintChanged } from '../events/complaint-events.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './service-deps.js';
import { loadOwnedStore } from './stores.js';

// A coupon is the platform's compensation to a consumer; a participating store
// takes it as payment. A store's owner checks a code at their store and redeems
// it there, once: the one conditional UPDATE that sets `redeemedAt` decides,
// so two tills redeeming the same code at once can't both succeed. The answers
// never say whose coupon it is or which complaint it came from.

export type CouponValidity = 'VALID' | 'EXPIRED' | 'REDEEMED' | 'UNKNOWN';

export interface CouponCheck {
  code: string;
  validity: CouponValidity;
  /** Null when the code is unknown. */
  coupon: Pick<Coupon, 'amount' | 'currency' | 'expiresAt' | 'redeemedAt'> | null;
}

export interface CouponRedemption {
  coupon: Coupon;
  storeId: string;
}

/** Codes are printed in capitals and read aloud: spaces, hyphens and case are not part of them. */
export const normalizeCouponCode = (code: string) => code.replace(/[\s-]+/g, '').toUpperCase();
const CODE_MAX = 64;

export function couponValidity(coupon: Pick<Coupon, 'expiresAt' | 'redeemedAt'> | null, now: Date): CouponValidity {
  if (!coupon) return 'UNKNOWN';
  if (coupon.redeemedAt) return 'REDEEMED';
  return coupon.expiresAt <= now ? 'EXPIRED' : 'VALID';
}

/** Store owners check codes at their own store (given by id); reviewers and admins check any code. */
async function authorizeCheck(deps: ServiceDeps, access: Access, storeId: string | null): Promise<void> {
  const actor = access.requireActor();
  if (access.seesEverything) return;
  if (!storeId) throw new ForbiddenError('Name your store (storeId) to check a coupon there.');
  const store = await deps.db.store.findUnique({ where: { id: storeId }, select: { ownerId: true } });
  if (!store || store.ownerId !== actor.id) throw new ForbiddenError('Only the owner of this store can check coupons there.');
}

export async function checkCoupon(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string | null; code: string },
): Promise<CouponCheck> {
  await authorizeCheck(deps, access, input.storeId);
  const code = normalizeCouponCode(input.code);
  const coupon =
    code.length > 0 && code.length <= CODE_MAX
      ? await deps.db.coupon.findUnique({ where: { code }, select: { amount: true, currency: true, expiresAt: true, redeemedAt: true } })
      : null;
  return { code, validity: couponValidity(coupon, deps.clock()), coupon };
}

/**
 * Redeems the coupon at the owner's store, exactly once. A code that is
 * unknown, expired or already redeemed is a userError saying which.
 */
export async function redeemCoupon(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string; code: string },
): Promise<Result<CouponRedemption>> {
  const store = await loadOwnedStore(deps, access, input.storeId, ['input', 'storeId']);
  if (!store.ok) return store;
  const actor = access.requireActor();
  const code = normalizeCouponCode(input.code);
  const codeField = ['input', 'code'];
  if (code.length === 0 || code.length > CODE_MAX) return fail('NOT_FOUND', 'No coupon has this code.', codeField);
  const now = deps.clock();
  const redeemed = await deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      UPDATE "Coupon"
      SET "redeemedAt" = ${now}, "redeemedById" = ${actor.id}::uuid, "redeemedStoreId" = ${store.value.id}::uuid
      WHERE "code" = ${code} AND "redeemedAt" IS NULL AND "expiresAt" > ${now}
      RETURNING "id"`;
    if (!rows[0]) return null;
    const coupon = await tx.coupon.findUniqueOrThrow({ where: { id: rows[0].id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'coupon.redeemed',
      entityType: 'Coupon',
      entityId: coupon.id,
      data: { storeId: store.value.id },
      at: now,
    });
    await publishComplaintChanged(tx, coupon.complaintId);
    return coupon;
  });
  if (redeemed) return ok({ coupon: redeemed, storeId: store.value.id });

  const coupon = await deps.db.coupon.findUnique({ where: { code }, select: { expiresAt: true, redeemedAt: true } });
  switch (couponValidity(coupon, now)) {
    case 'REDEEMED':
      return fail('CONFLICT', `This coupon was already redeemed on ${coupon!.redeemedAt!.toISOString()}.`, codeField);
    case 'EXPIRED':
      return fail('EXPIRED', `This coupon expired on ${coupon!.expiresAt.toISOString()}.`, codeField);
    default:
      return fail('NOT_FOUND', 'No coupon has this code.', codeField);
  }
}
