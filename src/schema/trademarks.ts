import type { Trademark } from '@prisma/client';
import { reviewTrademark, submitTrademark } from '../services/trademarks.js';
import { ActorRef, actorView } from './actors.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { DocumentRef } from './documents.js';
import { parseGlobalId } from './global-ids.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

export const ReviewStatusEnum = builder.enumType('ReviewStatus', {
  values: ['SUBMITTED', 'APPROVED', 'REJECTED', 'EXPIRED', 'REVOKED'] as const,
});

export const TrademarkRef = builder.prismaNode('Trademark', {
  id: { field: 'id' },
  // Approved trademarks are public record; the rest belong to the brand and reviewers.
  authScopes: async (trademark, ctx) =>
    trademark.status === 'APPROVED' ||
    ctx.access.seesEverything ||
    (await ctx.access.mayActForBrand(trademark.brandId, 'brand.viewPrivate')),
  fields: (t) => ({
    brand: t.relation('brand', { type: BrandRef }),
    registrationNumber: t.exposeString('registrationNumber'),
    office: t.exposeString('office', { description: 'Issuing office, e.g. USPTO, EUIPO, CNIPA, UKIPO, JPO.' }),
    niceClasses: t.exposeIntList('niceClasses'),
    holderName: t.exposeString('holderName'),
    validFrom: t.expose('validFrom', { type: 'DateTime' }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
    status: t.expose('status', { type: ReviewStatusEnum }),
    reviewNote: t.exposeString('reviewNote', { nullable: true }),
    document: t.relation('document', { type: DocumentRef, nullable: true }),
    assignedReviewer: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The reviewer who claimed it from the review queue.',
      select: { assignedReviewer: true },
      resolve: (trademark) => (trademark.assignedReviewer ? actorView(trademark.assignedReviewer) : null),
    }),
  }),
});

builder.prismaObjectField(BrandRef, 'trademarks', (t) =>
  t.field({
    type: [TrademarkRef],
    description: 'Members and reviewers see every trademark; others see approved ones.',
    resolve: async (brand, _args, ctx) =>
      ctx.deps.db.trademark.findMany({
        where: { AND: [{ brandId: brand.id }, await ctx.access.trademarkWhere()] },
        orderBy: { createdAt: 'asc' },
        take: LIST_BOUNDS.brandTrademarks,
      }),
  }),
);

export const TrademarkPayload = entityPayload<Trademark>('TrademarkPayload', 'trademark', TrademarkRef);

const SubmitTrademarkInput = builder.inputType('SubmitTrademarkInput', {
  fields: (t) => ({
    brandId: t.id(),
    registrationNumber: t.string(),
    office: t.string(),
    niceClasses: t.intList(),
    holderName: t.string(),
    validFrom: t.field({ type: 'DateTime' }),
    validUntil: t.field({ type: 'DateTime' }),
    certificate: t.field({ type: 'Upload', description: 'PDF, JPEG or PNG, at most 15 MB.' }),
  }),
});

export const ReviewInput = builder.inputType('ReviewInput', {
  fields: (t) => ({
    id: t.id(),
    approve: t.boolean(),
    note: t.string({ required: false }),
  }),
});

builder.mutationField('submitTrademark', (t) =>
  t.field({
    type: TrademarkPayload,
    description: 'BRAND member. Uploads the registration certificate for review.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SubmitTrademarkInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      return toPayload(await submitTrademark(ctx.deps, ctx.access, { ...input, brandId: brandId.value }));
    },
  }),
);

builder.mutationField('reviewTrademark', (t) =>
  t.field({
    type: TrademarkPayload,
    description: 'REVIEWER. An approved, unexpired trademark makes the brand VERIFIED.',
    authScopes: { role: 'REVIEWER' },
    args: { input: t.arg({ type: ReviewInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'Trademark', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await reviewTrademark(ctx.deps, ctx.access, { ...input, id: id.value }));
    },
  }),
);
