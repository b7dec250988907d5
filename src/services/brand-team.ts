import { Prisma, type Actor, type BrandInvitation, type BrandMember } from '@prisma/client';
import { z } from 'zod';
import { NOT_A_BRAND_MEMBER, roleRefusal, type Access, type CurrentActor } from '../auth/access.js';
import {
  BRAND_MEMBER_ROLES,
  mayCancelInvitation,
  mayChangeRole,
  mayDo,
  mayInvite,
  mayRemove,
  wouldLeaveNoOwner,
  type BrandAction,
  type BrandMemberRole,
} from '../auth/brand-permissions.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { parseInput, requiredText } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import type { TextRule } from './text-limits.js';

/** How long an invitation waits for its answer. */
export const INVITATION_VALID_DAYS = 14;
const DAY_MS = 86_400_000;

/** The team's changes in the audit trail; `brand.registered` names the first owner. */
export const TEAM_AUDIT_ACTIONS = [
  'brand.registered',
  'brand_team.invited',
  'brand_team.invitation_cancelled',
  'brand_team.invitation_declined',
  'brand_team.joined',
  'brand_team.role_changed',
  'brand_team.member_removed',
  'brand_team.left',
] as const;
type TeamAuditAction = (typeof TEAM_AUDIT_ACTIONS)[number];

const SUBJECT_RULE: TextRule = { label: 'The subject', min: 1, max: 255, short: 'Name the person by the subject they sign in with.' };
const LAST_OWNER = 'A brand always keeps an owner: make another member OWNER first.';
const NOT_YOUR_INVITATION = 'This invitation is not yours.';
const field = (name: string) => ['input', name];

export interface InviteInput {
  brandId: string;
  subject: string;
  role: BrandMemberRole;
}

export interface MemberInput {
  brandId: string;
  actorId: string;
}

type Tx = Prisma.TransactionClient;
interface LockedMember {
  actorId: string;
  role: BrandMemberRole;
}

const inviteSchema = z.object({ subject: requiredText(SUBJECT_RULE), role: z.enum(BRAND_MEMBER_ROLES) });

/**
 * The brand's members, locked until the transaction ends. Every change to the
 * team takes these locks first (in one order, so two changes never deadlock),
 * so the owner count it reads holds until it commits: of two concurrent
 * demotions of the last two owners, the second sees the first's result.
 */
async function lockTeam(tx: Tx, brandId: string): Promise<LockedMember[]> {
  return tx.$queryRaw<LockedMember[]>`
    SELECT "actorId"::text AS "actorId", "role"::text AS "role" FROM "BrandMember"
    WHERE "brandId" = ${brandId}::uuid ORDER BY "actorId" FOR UPDATE`;
}

/** The caller's role as the locked rows have it; a member removed a moment ago is refused here. */
function lockedRoleOf(team: LockedMember[], actor: CurrentActor): BrandMemberRole {
  const role = team.find((member) => member.actorId === actor.id)?.role;
  if (!role) throw new ForbiddenError(NOT_A_BRAND_MEMBER);
  return role;
}

function refuseUnless(allowed: boolean, role: BrandMemberRole, action: BrandAction): void {
  if (!allowed) throw new ForbiddenError(roleRefusal(role, action));
}

/** The caller's role from the request's view; a non-member is refused before anything is read. */
async function callerRole(access: Access, brandId: string): Promise<{ actor: CurrentActor; role: BrandMemberRole }> {
  const actor = access.requireActor();
  const role = await access.brandRole(brandId);
  if (!role) throw new ForbiddenError(NOT_A_BRAND_MEMBER);
  return { actor, role };
}

const teamAudit = (tx: Tx, actorId: string, brandId: string, action: TeamAuditAction, data: Prisma.InputJsonObject) =>
  recordAudit(tx, { actorId, action, entityType: 'Brand', entityId: brandId, data });

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** EXPIRED once past its time, whatever the row says; only PENDING rows are stored that way. */
export function invitationStatus(invitation: Pick<BrandInvitation, 'status' | 'expiresAt'>, now: Date): BrandInvitation['status'] {
  return invitation.status === 'PENDING' && invitation.expiresAt <= now ? 'EXPIRED' : invitation.status;
}

export async function inviteBrandMember(deps: ServiceDeps, access: Access, input: InviteInput): Promise<Result<BrandInvitation>> {
  const { actor, role } = await callerRole(access, input.brandId);
  refuseUnless(mayInvite(role, input.role), role, input.role === 'AGENT' ? 'team.manageAgents' : 'team.manage');
  const parsed = parseInput(inviteSchema, input);
  if (!parsed.ok) return parsed;
  const { subject } = parsed.value;
  const brandId = input.brandId;
  const now = deps.clock();

  try {
    return await deps.db.$transaction(async (tx) => {
      const team = await lockTeam(tx, brandId);
      const lockedRole = lockedRoleOf(team, actor);
      refuseUnless(mayInvite(lockedRole, input.role), lockedRole, input.role === 'AGENT' ? 'team.manageAgents' : 'team.manage');

      const invitee = await tx.actor.findUnique({ where: { subject }, select: { id: true } });
      if (invitee && team.some((member) => member.actorId === invitee.id)) {
        return fail('CONFLICT', 'This person is already in the team; change their role instead.', field('subject'));
      }
      // A lapsed invitation is closed so that a new one can be made.
      await tx.brandInvitation.updateMany({
        where: { brandId, inviteeSubject: subject, status: 'PENDING', expiresAt: { lte: now } },
        data: { status: 'EXPIRED' },
      });
      const open = await tx.brandInvitation.findFirst({ where: { brandId, inviteeSubject: subject, status: 'PENDING' } });
      if (open) return fail('CONFLICT', 'This person already has a pending invitation; cancel it to send another.', field('subject'));

      const invitation = await tx.brandInvitation.create({
        data: {
          brandId,
          inviteeSubject: subject,
          role: input.role,
          invitedById: actor.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + INVITATION_VALID_DAYS * DAY_MS),
        },
      });
      await teamAudit(tx, actor.id, brandId, 'brand_team.invited', {
        invitationId: invitation.id,
        role: input.role,
        ...(invitee ? { targetActorId: invitee.id } : {}),
      });
      return ok(invitation);
    });
  } catch (error) {
    // Two invitations of one person at once: the partial unique index lets one in.
    if (isUniqueViolation(error)) return fail('CONFLICT', 'This person already has a pending invitation.', field('subject'));
    throw error;
  }
}

/** The caller's own invitation; an unknown id is refused like someone else's, so ids tell nothing. */
async function loadOwnInvitation(
  deps: ServiceDeps,
  access: Access,
  invitationId: string,
): Promise<{ actor: CurrentActor; invitation: BrandInvitation }> {
  const actor = access.requireActor();
  const invitation = await deps.db.brandInvitation.findUnique({ where: { id: invitationId } });
  if (!invitation || invitation.inviteeSubject !== actor.subject) throw new ForbiddenError(NOT_YOUR_INVITATION);
  return { actor, invitation };
}

function notOpen(invitation: BrandInvitation, now: Date): Result<never> | null {
  const status = invitationStatus(invitation, now);
  if (status === 'EXPIRED') return fail('EXPIRED', 'This invitation has expired; ask the brand for a new one.', field('invitationId'));
  if (status !== 'PENDING') return fail('NOT_ALLOWED_IN_STATE', `This invitation is already ${status}.`, field('invitationId'));
  return null;
}

/** Closes a PENDING, unexpired invitation; false when someone else closed it first. */
async function close(tx: Tx, invitation: BrandInvitation, status: 'ACCEPTED' | 'DECLINED' | 'CANCELLED', by: string, now: Date) {
  const { count } = await tx.brandInvitation.updateMany({
    where: { id: invitation.id, status: 'PENDING', expiresAt: { gt: now } },
    data: { status, respondedAt: now, respondedById: by },
  });
  return count === 1;
}

async function raced(deps: ServiceDeps, invitationId: string, now: Date): Promise<Result<never>> {
  const current = await deps.db.brandInvitation.findUniqueOrThrow({ where: { id: invitationId } });
  return notOpen(current, now) ?? fail('NOT_ALLOWED_IN_STATE', 'The invitation changed just now; reload it.', field('invitationId'));
}

export async function acceptBrandInvitation(
  deps: ServiceDeps,
  access: Access,
  input: { invitationId: string },
): Promise<Result<BrandInvitation>> {
  const { actor, invitation } = await loadOwnInvitation(deps, access, input.invitationId);
  const now = deps.clock();
  const closed = notOpen(invitation, now);
  if (closed) return closed;

  const accepted = await deps.db.$transaction(async (tx) => {
    const team = await lockTeam(tx, invitation.brandId);
    if (team.some((member) => member.actorId === actor.id)) {
      return fail('CONFLICT', 'You are already in this brand’s team.', field('invitationId'));
    }
    if (!(await close(tx, invitation, 'ACCEPTED', actor.id, now))) return null;
    await tx.brandMember.create({ data: { brandId: invitation.brandId, actorId: actor.id, role: invitation.role, createdAt: now } });
    await teamAudit(tx, actor.id, invitation.brandId, 'brand_team.joined', {
      invitationId: invitation.id,
      targetActorId: actor.id,
      role: invitation.role,
    });
    return ok(await tx.brandInvitation.findUniqueOrThrow({ where: { id: invitation.id } }));
  });
  if (accepted?.ok) access.forgetBrandRoles();
  return accepted ?? raced(deps, invitation.id, now);
}

export async function declineBrandInvitation(
  deps: ServiceDeps,
  access: Access,
  input: { invitationId: string },
): Promise<Result<BrandInvitation>> {
  const { actor, invitation } = await loadOwnInvitation(deps, access, input.invitationId);
  const now = deps.clock();
  const closed = notOpen(invitation, now);
  if (closed) return closed;
  const declined = await deps.db.$transaction(async (tx) => {
    if (!(await close(tx, invitation, 'DECLINED', actor.id, now))) return null;
    await teamAudit(tx, actor.id, invitation.brandId, 'brand_team.invitation_declined', {
      invitationId: invitation.id,
      role: invitation.role,
    });
    return tx.brandInvitation.findUniqueOrThrow({ where: { id: invitation.id } });
  });
  return declined ? ok(declined) : raced(deps, invitation.id, now);
}

export async function cancelBrandInvitation(
  deps: ServiceDeps,
  access: Access,
  input: { invitationId: string },
): Promise<Result<BrandInvitation>> {
  const actor = access.requireActor();
  const invitation = await deps.db.brandInvitation.findUnique({ where: { id: input.invitationId } });
  // An unknown id is refused like another brand's invitation.
  if (!invitation) throw new ForbiddenError(NOT_A_BRAND_MEMBER);
  const { role } = await callerRole(access, invitation.brandId);
  refuseUnless(mayCancelInvitation(role, invitation.role), role, 'team.manage');
  const now = deps.clock();
  const closed = notOpen(invitation, now);
  if (closed) return closed;

  const cancelled = await deps.db.$transaction(async (tx) => {
    const lockedRole = lockedRoleOf(await lockTeam(tx, invitation.brandId), actor);
    refuseUnless(mayCancelInvitation(lockedRole, invitation.role), lockedRole, 'team.manage');
    if (!(await close(tx, invitation, 'CANCELLED', actor.id, now))) return null;
    await teamAudit(tx, actor.id, invitation.brandId, 'brand_team.invitation_cancelled', {
      invitationId: invitation.id,
      role: invitation.role,
    });
    return tx.brandInvitation.findUniqueOrThrow({ where: { id: invitation.id } });
  });
  return cancelled ? ok(cancelled) : raced(deps, invitation.id, now);
}

const NOT_IN_TEAM = () => fail('NOT_FOUND', 'This person is not in the brand’s team.', field('actorId'));

export async function changeBrandMemberRole(
  deps: ServiceDeps,
  access: Access,
  input: MemberInput & { role: BrandMemberRole },
): Promise<Result<BrandMember>> {
  const { actor, role } = await callerRole(access, input.brandId);
  refuseUnless(mayChangeRole(role), role, 'team.manage');
  const parsedRole = parseInput(z.object({ role: z.enum(BRAND_MEMBER_ROLES) }), input);
  if (!parsedRole.ok) return parsedRole;
  const next = parsedRole.value.role;

  const changed = await deps.db.$transaction(async (tx) => {
    const team = await lockTeam(tx, input.brandId);
    const lockedRole = lockedRoleOf(team, actor);
    refuseUnless(mayChangeRole(lockedRole), lockedRole, 'team.manage');
    const target = team.find((member) => member.actorId === input.actorId);
    if (!target) return NOT_IN_TEAM();
    const where = { brandId_actorId: { brandId: input.brandId, actorId: target.actorId } };
    if (target.role === next) return ok(await tx.brandMember.findUniqueOrThrow({ where }));
    if (
      wouldLeaveNoOwner(
        team.map((member) => member.role),
        target.role,
        next,
      )
    ) {
      return fail('NOT_ALLOWED_IN_STATE', `The brand's last owner can't be made ${next}. ${LAST_OWNER}`, field('role'));
    }
    const member = await tx.brandMember.update({ where, data: { role: next } });
    await teamAudit(tx, actor.id, input.brandId, 'brand_team.role_changed', {
      targetActorId: target.actorId,
      previousRole: target.role,
      role: next,
    });
    return ok(member);
  });
  if (changed.ok) access.forgetBrandRoles();
  return changed;
}

export async function removeBrandMember(deps: ServiceDeps, access: Access, input: MemberInput): Promise<Result<{ brandId: string }>> {
  const { actor, role } = await callerRole(access, input.brandId);
  refuseUnless(mayDo(role, 'team.manage') || mayDo(role, 'team.manageAgents'), role, 'team.manage');
  if (input.actorId === actor.id) return fail('INVALID', 'To leave the team yourself, use leaveBrand.', field('actorId'));

  const removed = await deps.db.$transaction(async (tx) => {
    const team = await lockTeam(tx, input.brandId);
    const lockedRole = lockedRoleOf(team, actor);
    const target = team.find((member) => member.actorId === input.actorId);
    if (!target) {
      refuseUnless(mayDo(lockedRole, 'team.manage') || mayDo(lockedRole, 'team.manageAgents'), lockedRole, 'team.manage');
      return NOT_IN_TEAM();
    }
    refuseUnless(mayRemove(lockedRole, target.role), lockedRole, 'team.manage');
    if (
      wouldLeaveNoOwner(
        team.map((member) => member.role),
        target.role,
        null,
      )
    ) {
      return fail('NOT_ALLOWED_IN_STATE', `The brand's last owner can't be removed. ${LAST_OWNER}`, field('actorId'));
    }
    await tx.brandMember.delete({ where: { brandId_actorId: { brandId: input.brandId, actorId: target.actorId } } });
    await teamAudit(tx, actor.id, input.brandId, 'brand_team.member_removed', { targetActorId: target.actorId, role: target.role });
    return ok({ brandId: input.brandId });
  });
  if (removed.ok) access.forgetBrandRoles();
  return removed;
}

export async function leaveBrand(deps: ServiceDeps, access: Access, input: { brandId: string }): Promise<Result<{ brandId: string }>> {
  const { actor } = await callerRole(access, input.brandId);
  const left = await deps.db.$transaction(async (tx) => {
    const team = await lockTeam(tx, input.brandId);
    const role = lockedRoleOf(team, actor);
    if (
      wouldLeaveNoOwner(
        team.map((member) => member.role),
        role,
        null,
      )
    ) {
      return fail('NOT_ALLOWED_IN_STATE', `As the last owner you can't leave. ${LAST_OWNER}`, field('brandId'));
    }
    await tx.brandMember.delete({ where: { brandId_actorId: { brandId: input.brandId, actorId: actor.id } } });
    await teamAudit(tx, actor.id, input.brandId, 'brand_team.left', { targetActorId: actor.id, role });
    return ok({ brandId: input.brandId });
  });
  if (left.ok) access.forgetBrandRoles();
  return left;
}

/** Owners and managers see the team; everyone else is refused. */
export async function requireTeamViewer(access: Access, brandId: string): Promise<void> {
  await access.requireBrandPermission(brandId, 'team.view');
}

export function pendingInvitationsWhere(now: Date): Prisma.BrandInvitationWhereInput {
  return { status: 'PENDING', expiresAt: { gt: now } };
}

export interface TeamAuditEntry {
  id: string;
  at: Date;
  action: string;
  /** Who made the change. */
  actor: Actor | null;
  /** Whom it concerns: the member invited (once signed in), joined, changed, removed or gone. */
  member: Actor | null;
  role: BrandMemberRole | null;
  previousRole: BrandMemberRole | null;
}

const roleOf = (value: unknown): BrandMemberRole | null =>
  typeof value === 'string' && (BRAND_MEMBER_ROLES as readonly string[]).includes(value) ? (value as BrandMemberRole) : null;

/** The team's changes, newest first, with who did them and to whom, in two queries. */
export async function teamAuditTrail(deps: Pick<ServiceDeps, 'db'>, brandId: string, limit: number): Promise<TeamAuditEntry[]> {
  const events = await deps.db.auditEvent.findMany({
    where: { entityType: 'Brand', entityId: brandId, action: { in: [...TEAM_AUDIT_ACTIONS] } },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { actor: true },
  });
  const dataOf = (data: Prisma.JsonValue) => (data && typeof data === 'object' && !Array.isArray(data) ? data : {});
  const targetIds = [
    ...new Set(
      events.flatMap((event) => {
        const target = dataOf(event.data).targetActorId;
        return typeof target === 'string' ? [target] : [];
      }),
    ),
  ];
  const targets = targetIds.length > 0 ? await deps.db.actor.findMany({ where: { id: { in: targetIds } } }) : [];
  const byId = new Map(targets.map((actor) => [actor.id, actor]));
  return events.map((event) => {
    const data = dataOf(event.data);
    const target = typeof data.targetActorId === 'string' ? (byId.get(data.targetActorId) ?? null) : null;
    // The registrant is the one the registration made owner.
    const member = event.action === 'brand.registered' ? event.actor : target;
    return {
      id: event.id,
      at: event.at,
      action: event.action,
      actor: event.actor,
      member,
      role: event.action === 'brand.registered' ? 'OWNER' : roleOf(data.role),
      previousRole: roleOf(data.previousRole),
    };
  });
}
