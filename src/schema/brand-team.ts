import type { Brand, BrandInvitation, BrandMember } from '@prisma/client';
import { BRAND_MEMBER_ROLES } from '../auth/brand-permissions.js';
import type { Result } from '../errors.js';
import {
  acceptBrandInvitation,
  cancelBrandInvitation,
  changeBrandMemberRole,
  declineBrandInvitation,
  INVITATION_VALID_DAYS,
  invitationStatus,
  inviteBrandMember,
  leaveBrand,
  pendingInvitationsWhere,
  removeBrandMember,
  requireTeamViewer,
  teamAuditTrail,
  type TeamAuditEntry,
} from '../services/brand-team.js';
import { ActorRef, actorView } from './actors.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { parseGlobalId } from './global-ids.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { entityPayload, failedPayload, toPayload, type Payload } from './user-errors.js';

export const BrandMemberRoleEnum = builder.enumType('BrandMemberRole', {
  description:
    'OWNER: everything, and the team. MANAGER: trademarks, letters, product codes, webhooks, official stores; invites and removes AGENTs. ' +
    'AGENT: acts against counterfeits for the brand (complaints, letters and scan insight to see), but confirms, issues and changes nothing.',
  values: BRAND_MEMBER_ROLES,
});

export const BrandInvitationStatusEnum = builder.enumType('BrandInvitationStatus', {
  values: ['PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'EXPIRED'] as const,
});

export const BrandInvitationRef = builder.prismaNode('BrandInvitation', {
  id: { field: 'id' },
  // The invitee's, and the team's owners' and managers'.
  authScopes: async (invitation, ctx) =>
    ctx.access.actor?.subject === invitation.inviteeSubject || (await ctx.access.mayActForBrand(invitation.brandId, 'team.view')),
  fields: (t) => ({
    brand: t.relation('brand', { type: BrandRef }),
    inviteeSubject: t.exposeString('inviteeSubject', { description: 'The subject the invitee signs in with, as the inviter gave it.' }),
    role: t.expose('role', { type: BrandMemberRoleEnum }),
    status: t.field({
      type: BrandInvitationStatusEnum,
      description: 'EXPIRED once `expiresAt` has passed unanswered.',
      resolve: (invitation, _args, ctx) => invitationStatus(invitation, ctx.deps.clock()),
    }),
    invitedBy: t.field({ type: ActorRef, select: { invitedBy: true }, resolve: (invitation) => actorView(invitation.invitedBy) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    respondedAt: t.expose('respondedAt', { type: 'DateTime', nullable: true, description: 'When it was accepted, declined or cancelled.' }),
  }),
});

export const BrandMemberRef = builder.prismaObject('BrandMember', {
  fields: (t) => ({
    actor: t.field({ type: ActorRef, select: { actor: true }, resolve: (member) => actorView(member.actor) }),
    role: t.expose('role', { type: BrandMemberRoleEnum }),
    since: t.expose('createdAt', { type: 'DateTime', description: 'When they joined the team.' }),
  }),
});

const BrandTeamEventRef = builder.objectRef<TeamAuditEntry>('BrandTeamEvent').implement({
  description: "A change to the brand's team, from its audit record.",
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    action: t.exposeString('action', {
      description:
        'brand.registered, brand_team.invited, brand_team.invitation_cancelled, brand_team.invitation_declined, ' +
        'brand_team.joined, brand_team.role_changed, brand_team.member_removed or brand_team.left.',
    }),
    actor: t.field({ type: ActorRef, nullable: true, description: 'Who made the change.', resolve: (e) => e.actor && actorView(e.actor) }),
    member: t.field({
      type: ActorRef,
      nullable: true,
      description: 'Whom it concerns; null for an invitation of someone who has not signed in yet.',
      resolve: (e) => e.member && actorView(e.member),
    }),
    role: t.field({ type: BrandMemberRoleEnum, nullable: true, resolve: (e) => e.role }),
    previousRole: t.field({ type: BrandMemberRoleEnum, nullable: true, resolve: (e) => e.previousRole }),
  }),
});

interface BrandTeam {
  brandId: string;
}

const BrandTeamRef = builder.objectRef<BrandTeam>('BrandTeam').implement({
  fields: (t) => ({
    members: t.prismaField({
      type: [BrandMemberRef],
      description: 'Oldest first.',
      resolve: (query, team, _args, ctx) =>
        ctx.deps.db.brandMember.findMany({
          ...query,
          where: { brandId: team.brandId },
          orderBy: [{ createdAt: 'asc' }, { actorId: 'asc' }],
          take: LIST_BOUNDS.brandTeamMembers,
        }),
    }),
    invitations: t.prismaField({
      type: [BrandInvitationRef],
      description: 'Pending invitations, newest first.',
      resolve: (query, team, _args, ctx) =>
        ctx.deps.db.brandInvitation.findMany({
          ...query,
          where: { brandId: team.brandId, ...pendingInvitationsWhere(ctx.deps.clock()) },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: LIST_BOUNDS.brandInvitations,
        }),
    }),
    auditTrail: t.field({
      type: [BrandTeamEventRef],
      description: `Newest first; \`first\` up to ${LIST_BOUNDS.brandTeamAuditTrail}.`,
      args: { first: t.arg.int({ required: false }) },
      resolve: (team, { first }, ctx) => teamAuditTrail(ctx.deps, team.brandId, teamAuditSize(first)),
    }),
  }),
});

export const teamAuditSize = (first: unknown) => {
  const asked = Number(first ?? LIST_BOUNDS.brandTeamAuditTrail);
  return Number.isFinite(asked)
    ? Math.min(Math.max(Math.trunc(asked), 0), LIST_BOUNDS.brandTeamAuditTrail)
    : LIST_BOUNDS.brandTeamAuditTrail;
};

builder.prismaObjectField(BrandRef, 'team', (t) =>
  t.field({
    type: BrandTeamRef,
    nullable: true,
    description: "The brand's OWNERs and MANAGERs: its members, pending invitations and the team's audit trail.",
    resolve: async (brand, _args, ctx) => {
      await requireTeamViewer(ctx.access, brand.id);
      return { brandId: brand.id };
    },
  }),
);

builder.prismaObjectField(BrandRef, 'myRole', (t) =>
  t.field({
    type: BrandMemberRoleEnum,
    nullable: true,
    description: "The caller's role in the brand's team; null outside it.",
    resolve: (brand, _args, ctx) => ctx.access.brandRole(brand.id),
  }),
);

builder.queryField('myBrandInvitations', (t) =>
  t.prismaField({
    type: [BrandInvitationRef],
    description: 'Signed in. Invitations to brand teams waiting for your answer, newest first.',
    authScopes: { authenticated: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.deps.db.brandInvitation.findMany({
        ...query,
        where: { inviteeSubject: ctx.access.requireActor().subject, ...pendingInvitationsWhere(ctx.deps.clock()) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: LIST_BOUNDS.myBrandInvitations,
      }),
  }),
);

const BrandInvitationPayload = entityPayload<BrandInvitation>('BrandInvitationPayload', 'invitation', BrandInvitationRef);
const BrandMemberPayload = entityPayload<BrandMember>('BrandMemberPayload', 'member', BrandMemberRef);

const InviteBrandMemberInput = builder.inputType('InviteBrandMemberInput', {
  fields: (t) => ({
    brandId: t.id(),
    subject: t.string({ description: 'The subject the person signs in with (the `sub` of their token).' }),
    role: t.field({ type: BrandMemberRoleEnum }),
  }),
});

const invitationInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({ invitationId: t.id() }),
  });
const AcceptBrandInvitationInput = invitationInput('AcceptBrandInvitationInput');
const DeclineBrandInvitationInput = invitationInput('DeclineBrandInvitationInput');
const CancelBrandInvitationInput = invitationInput('CancelBrandInvitationInput');

const ChangeBrandMemberRoleInput = builder.inputType('ChangeBrandMemberRoleInput', {
  fields: (t) => ({ brandId: t.id(), actorId: t.id(), role: t.field({ type: BrandMemberRoleEnum }) }),
});
const RemoveBrandMemberInput = builder.inputType('RemoveBrandMemberInput', {
  fields: (t) => ({ brandId: t.id(), actorId: t.id() }),
});
const LeaveBrandInput = builder.inputType('LeaveBrandInput', {
  fields: (t) => ({ brandId: t.id() }),
});

const brandField = ['input', 'brandId'];

builder.mutationField('inviteBrandMember', (t) =>
  t.field({
    type: BrandInvitationPayload,
    description: `OWNER (any role) or MANAGER (AGENTs only). The invitation waits ${INVITATION_VALID_DAYS} days for the invitee's answer.`,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: InviteBrandMemberInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', brandField);
      if (!brandId.ok) return failedPayload(brandId);
      return toPayload(await inviteBrandMember(ctx.deps, ctx.access, { ...input, brandId: brandId.value }));
    },
  }),
);

type InvitationChange = typeof acceptBrandInvitation;

function invitationMutation(name: string, input: typeof AcceptBrandInvitationInput, description: string, change: InvitationChange) {
  builder.mutationField(name, (t) =>
    t.field({
      type: BrandInvitationPayload,
      description,
      authScopes: { authenticated: true },
      args: { input: t.arg({ type: input }) },
      resolve: async (_root, args, ctx) => {
        const given = args.input as { invitationId: string };
        const invitationId = parseGlobalId(given.invitationId, 'BrandInvitation', ['input', 'invitationId']);
        if (!invitationId.ok) return failedPayload(invitationId);
        return toPayload(await change(ctx.deps, ctx.access, { invitationId: invitationId.value }));
      },
    }),
  );
}

invitationMutation(
  'acceptBrandInvitation',
  AcceptBrandInvitationInput,
  'The invitee. Joins the team in the invited role.',
  acceptBrandInvitation,
);
invitationMutation('declineBrandInvitation', DeclineBrandInvitationInput, 'The invitee.', declineBrandInvitation);
invitationMutation(
  'cancelBrandInvitation',
  CancelBrandInvitationInput,
  "OWNER, or MANAGER for an AGENT's invitation. Withdraws a pending invitation.",
  cancelBrandInvitation,
);

builder.mutationField('changeBrandMemberRole', (t) =>
  t.field({
    type: BrandMemberPayload,
    description: 'OWNER. The last OWNER cannot be demoted.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: ChangeBrandMemberRoleInput }) },
    resolve: async (_root, { input }, ctx) => {
      const ids = parseMember(input);
      if (!ids.ok) return failedPayload(ids);
      return toPayload(await changeBrandMemberRole(ctx.deps, ctx.access, { ...ids.value, role: input.role }));
    },
  }),
);

const BrandPayload = (name: string) => entityPayload<Brand>(name, 'brand', BrandRef);
const RemoveBrandMemberPayload = BrandPayload('RemoveBrandMemberPayload');
const LeaveBrandPayload = BrandPayload('LeaveBrandPayload');

/** The brand the change was made to, read after it (to show the team as it is now). */
async function withBrand(ctx: GraphQLContext, result: Result<{ brandId: string }>): Promise<Payload<Brand>> {
  if (!result.ok) return failedPayload(result);
  return toPayload<Brand>({ ok: true, value: await ctx.deps.db.brand.findUniqueOrThrow({ where: { id: result.value.brandId } }) });
}

function parseMember(input: { brandId: string; actorId: string }): Result<{ brandId: string; actorId: string }> {
  const brandId = parseGlobalId(input.brandId, 'Brand', brandField);
  const actorId = parseGlobalId(input.actorId, 'Actor', ['input', 'actorId']);
  if (!brandId.ok || !actorId.ok) return { ok: false, errors: [brandId, actorId].flatMap((r) => (r.ok ? [] : r.errors)) };
  return { ok: true, value: { brandId: brandId.value, actorId: actorId.value } };
}

builder.mutationField('removeBrandMember', (t) =>
  t.field({
    type: RemoveBrandMemberPayload,
    description: 'OWNER (any member) or MANAGER (AGENTs). The last OWNER cannot be removed.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RemoveBrandMemberInput }) },
    resolve: async (_root, { input }, ctx) => {
      const ids = parseMember(input);
      if (!ids.ok) return failedPayload(ids);
      return withBrand(ctx, await removeBrandMember(ctx.deps, ctx.access, ids.value));
    },
  }),
);

builder.mutationField('leaveBrand', (t) =>
  t.field({
    type: LeaveBrandPayload,
    description: 'Any member. The last OWNER cannot leave.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: LeaveBrandInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', brandField);
      if (!brandId.ok) return failedPayload(brandId);
      return withBrand(ctx, await leaveBrand(ctx.deps, ctx.access, { brandId: brandId.value }));
    },
  }),
);
