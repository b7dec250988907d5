import type { Coupon, Warning } from '@prisma/client';
import { activeStrikesWhere } from '../services/complaint-effects.js';
import { builder } from './builder.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { StoreRef } from './stores.js';

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

export const CouponRef = builder.prismaNode('Coupon', {
  id: { field: 'id' },
  authScopes: (coupon: Coupon, ctx) => ctx.access.seesEverything || coupon.consumerId === ctx.access.actor?.id,
  fields: (t) => ({
    code: t.exposeString('code'),
    value: t.field({ type: MoneyType, resolve: (coupon) => ({ amount: coupon.amount.toFixed(2), currency: coupon.currency }) }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

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
