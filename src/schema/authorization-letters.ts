import type { AuthorizationLetter } from '@prisma/client';
import { GraphQLError } from 'graphql';
import {
  confirmAuthorization,
  reviewAuthorizationLetter,
  revokeAuthorization,
  submitAuthorizationLetter,
} from '../services/authorization-letters.js';
import { ForbiddenError } from '../errors.js';
import { authorizeStore } from '../services/brand-authorization.js';
import { answerSubLicense, grantorConfirmationOf, setSubLicensing } from '../services/sub-license-consent.js';
import { RevokeInput } from './badges.js';
import { ActorRef, actorView } from './actors.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { DocumentRef } from './documents.js';
import { parseGlobalId } from './global-ids.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { StoreRef } from './stores.js';
import { ReviewInput } from './trademarks.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

export const AuthorizationStatusEnum = builder.enumType('AuthorizationStatus', {
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
    assignedReviewer: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The reviewer who claimed it from the review queue.',
      select: { assignedReviewer: true },
      resolve: (letter) => (letter.assignedReviewer ? actorView(letter.assignedReviewer) : null),
    }),
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
        if (!ctx.access.seesEverything && !(await ctx.access.mayActForBrand(brandId.value, 'letters.view'))) {
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

export const AuthorizationLetterPayload = entityPayload<AuthorizationLetter>(
  'AuthorizationLetterPayload',
  'letter',
  AuthorizationLetterRef,
);

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
  fields: (t) => ({
    letterId: t.id(),
    confirm: t.boolean(),
    note: t.string({ required: false }),
    allowSubLicensing: t.boolean({
      required: false,
      description: 'With a confirmation of a depth-1 letter: the store may grant sub-letters. Left out, the letter keeps its setting.',
    }),
  }),
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
    description:
      'BRAND member, or the owner of the store that granted a sub-letter. Revokes the letter, its badge, and every letter granted under it.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RevokeInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'AuthorizationLetter', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await revokeAuthorization(ctx.deps, ctx.access, { id: id.value, reason: input.reason }));
    },
  }),
}));

// ---------------------------------------------------------------- brand-issued authorization and sub-license consent

const LetterOriginEnum = builder.enumType('LetterOrigin', {
  values: {
    UPLOADED: { description: 'The store uploaded a letter; a reviewer approved it.' },
    BRAND_ISSUED: { description: 'The brand authorized the store online; the document is the certificate the service generated.' },
  } as const,
});
const GrantorConfirmationEnum = builder.enumType('GrantorConfirmation', { values: ['PENDING', 'CONFIRMED', 'DENIED'] as const });

builder.prismaObjectFields(AuthorizationLetterRef, (t) => ({
  origin: t.expose('origin', { type: LetterOriginEnum }),
  allowsSubLicensing: t.exposeBoolean('allowsSubLicensing', {
    description: "Set by the brand on a depth-1 letter: its store may grant sub-letters, each with the store's own confirmation.",
  }),
  grantorConfirmation: t.field({
    type: GrantorConfirmationEnum,
    nullable: true,
    description: "A sub-letter's answer from the store that granted it; null for letters the brand granted.",
    resolve: (letter) => grantorConfirmationOf(letter),
  }),
  grantorNote: t.exposeString('grantorNote', { nullable: true, description: "The granting store's note; a refusal's reason." }),
  subLetters: t.relatedConnection('grants', {
    cursor: 'id',
    description: 'Letters granted under this one (depth 2), for the brand, reviewers and the granting store.',
    query: () => ({ orderBy: { id: 'asc' } }),
  }),
}));

const AuthorizeStoreInput = builder.inputType('AuthorizeStoreInput', {
  fields: (t) => ({
    brandId: t.id(),
    storeId: t.id(),
    scope: t.string(),
    validFrom: t.field({ type: 'DateTime', description: "No earlier than the start of the brand's trademark." }),
    validUntil: t.field({ type: 'DateTime', description: "No later than the end of the brand's trademark." }),
    allowSubLicensing: t.boolean({ required: false, defaultValue: false }),
  }),
});

const AnswerSubLicenseInput = builder.inputType('AnswerSubLicenseInput', {
  fields: (t) => ({ letterId: t.id(), confirm: t.boolean(), note: t.string({ required: false, description: 'Required to refuse.' }) }),
});

const SetSubLicensingInput = builder.inputType('SetSubLicensingInput', {
  fields: (t) => ({ letterId: t.id(), allowed: t.boolean() }),
});

builder.mutationFields((t) => ({
  authorizeStore: t.field({
    type: AuthorizationLetterPayload,
    description:
      'BRAND member. Authorizes a store directly: an APPROVED depth-1 letter (origin BRAND_ISSUED, with a generated certificate as its document) and the AUTHORIZED_STORE badge, without review.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AuthorizeStoreInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      return toPayload(await authorizeStore(ctx.deps, ctx.access, { ...input, brandId: brandId.value, storeId: storeId.value }));
    },
  }),
  answerSubLicense: t.field({
    type: AuthorizationLetterPayload,
    description:
      'Owner of the granting store. Confirms a sub-letter (a reviewer may then approve it) or refuses it with a note (it is rejected).',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AnswerSubLicenseInput }) },
    resolve: async (_root, { input }, ctx) => {
      const letterId = parseGlobalId(input.letterId, 'AuthorizationLetter', ['input', 'letterId']);
      if (!letterId.ok) return failedPayload(letterId);
      return toPayload(await answerSubLicense(ctx.deps, ctx.access, { ...input, letterId: letterId.value }));
    },
  }),
  setSubLicensing: t.field({
    type: AuthorizationLetterPayload,
    description: "BRAND member. Allows or stops a depth-1 letter's store granting sub-letters; standing sub-letters stay until revoked.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SetSubLicensingInput }) },
    resolve: async (_root, { input }, ctx) => {
      const letterId = parseGlobalId(input.letterId, 'AuthorizationLetter', ['input', 'letterId']);
      if (!letterId.ok) return failedPayload(letterId);
      return toPayload(await setSubLicensing(ctx.deps, ctx.access, { letterId: letterId.value, allowed: input.allowed }));
    },
  }),
}));

// What a letter leads to: its badge, the letters granted under it, and why it was revoked.

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
