import type { Coupon, Warning } from '@prisma/client';
import { activeStrikesWhere } from '../services/complaint-effects.js';
import { checkCoupon, couponValidity, redeemCoupon, type CouponCheck, type CouponRedemption } from '../services/coupons.js';
import { builder } from './builder.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { StoreRef } from './stores.js';
import { parseGlobalId } from './global-ids.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

export const MoneyType = builder.objectRef<{ amount: string; currency: string }>('Money').implement({
  fields: (t) => ({ amount: t.exposeString('amount'), currency: t.exposeString('currency') }),
});

export const MoneyInput = builder.inputType('MoneyInput', {
  fields: (t) => ({
    amount: t.string({ description: 'A decimal string, e.g. "25.00".' }),
    currency: t.string({ description: 'ISO 4217, e.g. EUR.' }),
  }),
});

export const WarningRef = builder.prismaNode('Warning', {
  id: { field: 'id' },
  // The store's owner and reviewers see its warnings, and so do those who see the complaint.
  authScopes: async (warning: Warning, ctx) =>
    ctx.access.seesEverything ||
    (await ctx.access.ownedStoreIds()).has(warning.storeId) ||
    ctx.access.canSeeComplaint(await ctx.deps.db.complaint.findUniqueOrThrow({ where: { id: warning.complaintId } })),
  fields: (t) => ({
    store: t.relation('store', { type: StoreRef }),
    complaint: t.relation('complaint'),
    strikeNumber: t.exposeInt('strikeNumber'),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    rescindedAt: t.expose('rescindedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when the verdict was overturned on appeal.',
    }),
  }),
});

export const CouponStatusEnum = builder.enumType('CouponStatus', {
  values: {
    VALID: { description: 'Can be redeemed now.' },
    EXPIRED: { description: 'Past its expiry, never redeemed.' },
    REDEEMED: { description: 'Already taken at a store.' },
    UNKNOWN: { description: 'No coupon has this code.' },
  } as const,
});

export const CouponRef = builder.prismaNode('Coupon', {
  id: { field: 'id' },
  authScopes: (coupon: Coupon, ctx) => ctx.access.seesEverything || coupon.consumerId === ctx.access.actor?.id,
  fields: (t) => ({
    code: t.exposeString('code'),
    value: t.field({ type: MoneyType, resolve: (coupon) => ({ amount: coupon.amount.toFixed(2), currency: coupon.currency }) }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    status: t.field({ type: CouponStatusEnum, resolve: (coupon, _args, ctx) => couponValidity(coupon, ctx.deps.clock()) }),
    redeemedAt: t.expose('redeemedAt', { type: 'DateTime', nullable: true }),
    redeemedAtStore: t.relation('redeemedStore', { type: StoreRef, nullable: true, description: 'Where it was redeemed.' }),
    complaint: t.relation('complaint', { description: 'The complaint it compensates.' }),
  }),
});

const money = (coupon: Pick<Coupon, 'amount' | 'currency'>) => ({ amount: coupon.amount.toFixed(2), currency: coupon.currency });

const CouponValidationType = builder.objectRef<CouponCheck>('CouponValidation').implement({
  description: 'What a store may know about a code: whether it can be taken and its value; never whose it is.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The code as the service reads it (capitals, no spaces or hyphens).' }),
    status: t.field({ type: CouponStatusEnum, resolve: (check) => check.validity }),
    value: t.field({ type: MoneyType, nullable: true, resolve: (check) => (check.coupon ? money(check.coupon) : null) }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (check) => check.coupon?.expiresAt ?? null }),
    redeemedAt: t.field({ type: 'DateTime', nullable: true, resolve: (check) => check.coupon?.redeemedAt ?? null }),
  }),
});

const CouponRedemptionType = builder.objectRef<CouponRedemption>('CouponRedemption').implement({
  fields: (t) => ({
    code: t.string({ resolve: (r) => r.coupon.code }),
    value: t.field({ type: MoneyType, resolve: (r) => money(r.coupon) }),
    redeemedAt: t.field({ type: 'DateTime', resolve: (r) => r.coupon.redeemedAt! }),
    store: t.field({ type: StoreRef, resolve: (r, _args, ctx) => ctx.deps.db.store.findUniqueOrThrow({ where: { id: r.storeId } }) }),
  }),
});

const RedeemCouponPayload = entityPayload<CouponRedemption>('RedeemCouponPayload', 'redemption', CouponRedemptionType);

const RedeemCouponInput = builder.inputType('RedeemCouponInput', {
  fields: (t) => ({ storeId: t.id({ description: 'Your store, where the coupon is taken.' }), code: t.string() }),
});

builder.queryFields((t) => ({
  myCoupons: t.prismaConnection(
    {
      type: CouponRef,
      cursor: 'id',
      description: "The caller's coupons, newest first, redeemed and expired ones included.",
      authScopes: { authenticated: true },
      resolve: (query, _root, _args, ctx) =>
        ctx.deps.db.coupon.findMany({
          ...query,
          where: { consumerId: ctx.access.requireActor().id },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
    },
    { name: 'CouponConnection' },
    { name: 'CouponEdge' },
  ),
  validateCoupon: t.field({
    type: CouponValidationType,
    description:
      'A store owner checks a code at their store (storeId); reviewers and admins check any code. Says VALID, EXPIRED, REDEEMED or UNKNOWN and the value; not whose coupon it is.',
    authScopes: { authenticated: true },
    args: { code: t.arg.string(), storeId: t.arg.id({ required: false }) },
    resolve: async (_root, { code, storeId }, ctx) => {
      const id = storeId ? parseGlobalId(storeId, 'Store', ['storeId']) : null;
      // An id that is no store's id is refused like another owner's store.
      return checkCoupon(ctx.deps, ctx.access, { storeId: id ? (id.ok ? id.value : '00000000-0000-0000-0000-000000000000') : null, code });
    },
  }),
}));

builder.mutationField('redeemCoupon', (t) =>
  t.field({
    type: RedeemCouponPayload,
    description:
      "The store's owner: takes the coupon at their store, exactly once. Unknown (NOT_FOUND), expired (EXPIRED) or already redeemed (CONFLICT) codes are userErrors.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RedeemCouponInput }) },
    resolve: async (_root, { input }, ctx) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      return toPayload(await redeemCoupon(ctx.deps, ctx.access, { storeId: storeId.value, code: input.code }));
    },
  }),
);

builder.prismaObjectFields(StoreRef, (t) => ({
  activeStrikes: t.int({
    description:
      "Confirmed-counterfeit warnings in the policy window. Strikes follow the store's owner: this counts the warnings of every store they own.",
    resolve: (store, _args, ctx) => ctx.deps.db.warning.count({ where: activeStrikesWhere(store.ownerId, ctx.deps.clock()) }),
  }),
  warnings: t.field({
    type: [WarningRef],
    description: "The store's owner and reviewers see its warnings, rescinded ones included.",
    resolve: async (store, _args, ctx) => {
      if (!ctx.access.seesEverything && !(await ctx.access.ownedStoreIds()).has(store.id)) return [];
      return ctx.deps.db.warning.findMany({ where: { storeId: store.id }, orderBy: { issuedAt: 'desc' }, take: LIST_BOUNDS.storeWarnings });
    },
  }),
}));
