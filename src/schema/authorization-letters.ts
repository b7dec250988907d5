import type { AuthorizationLetter } from '@prisma/client';
import { GraphQLError } from 'graphql';
import {
  confirmAuthorization,
  reviewAuthorizationLetter,
  revokeAuthorization,
  submitAuthorizationLetter,
} from '../services/authorization-letters.js';
import { ForbiddenError } from '../errors.js';
import { RevokeInput } from './badges.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { DocumentRef } from './documents.js';
import { parseGlobalId } from './global-ids.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { StoreRef } from './stores.js';
import { ReviewInput } from './trademarks.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

const AuthorizationStatusEnum = builder.enumType('AuthorizationStatus', {
  values: ['SUBMITTED', 'APPROVED', 'REJECTED', 'REVOKED', 'EXPIRED'] as const,
});
const BrandConfirmationEnum = builder.enumType('BrandConfirmation', { values: ['PENDING', 'CONFIRMED', 'DENIED'] as const });

export const AuthorizationLetterRef = builder.prismaNode('AuthorizationLetter', {
  id: { field: 'id' },
  authScopes: async (letter, ctx) => ctx.access.canSeeLetter(letter),
  fields: (t) => ({
    brand: t.relation('brand', { type: BrandRef }),
    store: t.relation('store', { type: StoreRef }),
    grantor: t.relation('grantor', {
      nullable: true,
      description: 'Set when the store was authorized by an authorized distributor instead of the brand itself.',
    }),
    chainDepth: t.exposeInt('chainDepth', { description: '1 = granted by the brand, 2 = granted by a level-1 holder.' }),
    scope: t.exposeString('scope'),
    validFrom: t.expose('validFrom', { type: 'DateTime' }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
    status: t.expose('status', { type: AuthorizationStatusEnum }),
    brandConfirmation: t.expose('brandConfirmation', { type: BrandConfirmationEnum }),
    reviewNote: t.exposeString('reviewNote', { nullable: true }),
    document: t.relation('document', { type: DocumentRef, nullable: true }),
  }),
});

builder.queryField('authorizationLetters', (t) =>
  t.prismaConnection(
    {
      type: AuthorizationLetterRef,
      cursor: 'id',
      description: 'Brand members: stores that hold or asked for an authorization of the brand.',
      authScopes: { authenticated: true },
      args: { brandId: t.arg.id(), status: t.arg({ type: [AuthorizationStatusEnum], required: false }) },
      resolve: async (query, _root, args, ctx) => {
        const brandId = parseGlobalId(args.brandId, 'Brand', ['brandId']);
        if (!brandId.ok) throw new GraphQLError(brandId.errors[0]!.message, { extensions: { code: 'INVALID' } });
        if (!ctx.access.seesEverything && !(await ctx.access.isBrandMember(brandId.value))) {
          throw new ForbiddenError("Only the brand's members and reviewers list its authorizations.");
        }
        return ctx.deps.db.authorizationLetter.findMany({
          ...query,
          where: { brandId: brandId.value, ...(args.status?.length ? { status: { in: args.status } } : {}) },
          orderBy: { id: 'asc' },
        });
      },
    },
    { name: 'AuthorizationLetterConnection' },
    { name: 'AuthorizationLetterEdge' },
  ),
);

const AuthorizationLetterPayload = entityPayload<AuthorizationLetter>('AuthorizationLetterPayload', 'letter', AuthorizationLetterRef);

const SubmitAuthorizationLetterInput = builder.inputType('SubmitAuthorizationLetterInput', {
  fields: (t) => ({
    storeId: t.id(),
    brandId: t.id(),
    grantorLetterId: t.id({ required: false, description: 'Set when the letter comes from an authorized distributor (chain depth 2).' }),
    scope: t.string(),
    validFrom: t.field({ type: 'DateTime' }),
    validUntil: t.field({ type: 'DateTime' }),
    letter: t.field({ type: 'Upload' }),
  }),
});

const ConfirmAuthorizationInput = builder.inputType('ConfirmAuthorizationInput', {
  fields: (t) => ({ letterId: t.id(), confirm: t.boolean(), note: t.string({ required: false }) }),
});

builder.mutationFields((t) => ({
  submitAuthorizationLetter: t.field({
    type: AuthorizationLetterPayload,
    description: "Store owner. Uploads the brand's (or a level-1 distributor's) authorization letter.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SubmitAuthorizationLetterInput }) },
    resolve: async (_root, { input }, ctx) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      const grantor = input.grantorLetterId
        ? parseGlobalId(input.grantorLetterId, 'AuthorizationLetter', ['input', 'grantorLetterId'])
        : null;
      if (grantor && !grantor.ok) return failedPayload(grantor);
      return toPayload(
        await submitAuthorizationLetter(ctx.deps, ctx.access, {
          ...input,
          storeId: storeId.value,
          brandId: brandId.value,
          grantorLetterId: grantor?.value ?? null,
        }),
      );
    },
  }),
  confirmAuthorization: t.field({
    type: AuthorizationLetterPayload,
    description: 'BRAND member. Confirms or denies having issued the letter; a denial rejects it.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: ConfirmAuthorizationInput }) },
    resolve: async (_root, { input }, ctx) => {
      const letterId = parseGlobalId(input.letterId, 'AuthorizationLetter', ['input', 'letterId']);
      if (!letterId.ok) return failedPayload(letterId);
      return toPayload(await confirmAuthorization(ctx.deps, ctx.access, { ...input, letterId: letterId.value }));
    },
  }),
  reviewAuthorizationLetter: t.field({
    type: AuthorizationLetterPayload,
    description: 'REVIEWER. Approval issues an AUTHORIZED_STORE badge valid until the letter (and trademark) expire.',
    authScopes: { role: 'REVIEWER' },
    args: { input: t.arg({ type: ReviewInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'AuthorizationLetter', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await reviewAuthorizationLetter(ctx.deps, ctx.access, { ...input, id: id.value }));
    },
  }),
  revokeAuthorization: t.field({
    type: AuthorizationLetterPayload,
    description: 'BRAND member. Revokes the letter, its badge, and every letter granted under it.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RevokeInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'AuthorizationLetter', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await revokeAuthorization(ctx.deps, ctx.access, { id: id.value, reason: input.reason }));
    },
  }),
}));

// What a letter leads to: its badge, the letters granted under it, and why it was revoked.

export { AuthorizationStatusEnum };

builder.prismaObjectFields(AuthorizationLetterRef, (t) => ({
  badge: t.relation('badge', { nullable: true, description: 'The badge issued with the letter’s approval.' }),
  grantedLetters: t.prismaField({
    type: [AuthorizationLetterRef],
    description: 'Letters granted under this one (a distributor’s resellers) that the caller may see, oldest first.',
    resolve: async (query, letter, _args, ctx) =>
      ctx.deps.db.authorizationLetter.findMany({
        ...query,
        where: { AND: [{ grantorLetterId: letter.id }, await ctx.access.letterWhere()] },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: LIST_BOUNDS.letterGrants,
      }),
  }),
  revokedReason: t.exposeString('revokedReason', { nullable: true }),
}));
