import { Prisma, type Actor, type Role } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import type { Db } from '../db/client.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { parseInput } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';

// REVIEWER and ADMIN decide for the platform, so they are held here, granted
// by an admin (or, for the first admin, from the command line on the server),
// each grant and revocation with an audit record. Identity-provider groups
// never reach them (group-roles.ts).

export const SERVER_GRANTED_ROLES = ['REVIEWER', 'ADMIN'] as const satisfies readonly Role[];
export type ServerGrantedRole = (typeof SERVER_GRANTED_ROLES)[number];

export interface RoleChangeInput {
  actorId: string;
  role: Role;
  reason: string;
}

/** Who made the change: an admin through the API, or an operator on the command line. */
type Grantor = { actorId: string } | { commandLine: string };

const field = (name: string) => ['input', name];
const MAX_REASON = 500;

/** The role and reason of a grant or revocation. */
export const roleChangeSchema = z.object({
  role: z.enum(SERVER_GRANTED_ROLES, {
    error: `Only ${SERVER_GRANTED_ROLES.join(' and ')} are granted on the server; other roles come from the identity provider's groups.`,
  }),
  reason: z
    .string()
    .trim()
    .refine((reason) => reason.length >= 1 && reason.length <= MAX_REASON, `A reason has 1 to ${MAX_REASON} characters.`),
});

/** The command line names the actor by the token subject. */
const bySubjectSchema = roleChangeSchema.extend({
  subject: z
    .string()
    .trim()
    .refine((subject) => subject.length >= 1 && subject.length <= 200, 'A subject has 1 to 200 characters.'),
});

const withRole = (roles: Role[], role: Role) => (roles.includes(role) ? roles : [...roles, role]);

async function grantInTransaction(db: Db, actorId: string, role: ServerGrantedRole, reason: string, by: Grantor): Promise<Result<Actor>> {
  try {
    return await db.$transaction(async (tx) => {
      const target = await tx.actor.findUniqueOrThrow({ where: { id: actorId } });
      const grantedById = 'actorId' in by ? by.actorId : null;
      await tx.roleGrant.create({ data: { actorId, role, reason, grantedById } });
      await recordAudit(tx, {
        actorId: grantedById,
        action: 'role.granted',
        entityType: 'Actor',
        entityId: actorId,
        reason,
        data: { role, ...('commandLine' in by ? { via: 'command line', operator: by.commandLine } : {}) },
      });
      return ok(await tx.actor.update({ where: { id: actorId }, data: { roles: withRole(target.roles, role) } }));
    });
  } catch (error) {
    // The partial unique index: one live grant per actor and role.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return fail('CONFLICT', `This actor already holds ${role}.`, field('role'));
    }
    throw error;
  }
}

/** ADMIN. Grants REVIEWER or ADMIN to an existing actor. */
export async function grantRole(deps: ServiceDeps, access: Access, input: RoleChangeInput): Promise<Result<Actor>> {
  const admin = access.requireRole('ADMIN');
  if (input.actorId === admin.id) throw new ForbiddenError("Admins can't grant or revoke their own roles.");
  const checked = parseInput(roleChangeSchema, input);
  if (!checked.ok) return checked;
  const target = await deps.db.actor.findUnique({ where: { id: input.actorId }, select: { id: true } });
  if (!target) return fail('NOT_FOUND', 'No actor has this id.', field('actorId'));
  return grantInTransaction(deps.db, target.id, checked.value.role, checked.value.reason, { actorId: admin.id });
}

/** ADMIN. Ends a live grant; the actor loses the role on their next request. */
export async function revokeRole(deps: ServiceDeps, access: Access, input: RoleChangeInput): Promise<Result<Actor>> {
  const admin = access.requireRole('ADMIN');
  if (input.actorId === admin.id) throw new ForbiddenError("Admins can't grant or revoke their own roles.");
  const checked = parseInput(roleChangeSchema, input);
  if (!checked.ok) return checked;
  const { role, reason } = checked.value;
  const target = await deps.db.actor.findUnique({ where: { id: input.actorId }, select: { id: true } });
  if (!target) return fail('NOT_FOUND', 'No actor has this id.', field('actorId'));
  const now = deps.clock();
  const revoked = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.roleGrant.updateMany({
      where: { actorId: target.id, role, revokedAt: null },
      data: { revokedAt: now, revokedById: admin.id, revokeReason: reason },
    });
    if (count === 0) return null;
    await recordAudit(tx, {
      actorId: admin.id,
      action: 'role.revoked',
      entityType: 'Actor',
      entityId: target.id,
      reason,
      data: { role },
      at: now,
    });
    const actor = await tx.actor.findUniqueOrThrow({ where: { id: target.id } });
    return tx.actor.update({ where: { id: target.id }, data: { roles: actor.roles.filter((r) => r !== role) } });
  });
  if (!revoked) return fail('NOT_ALLOWED_IN_STATE', `This actor holds no ${role} grant.`, field('role'));
  return ok(revoked);
}

/**
 * The command line's way in, for the first admin: the actor is named by the
 * token subject and created if it never signed in.
 */
export async function grantRoleBySubject(
  db: Db,
  input: { subject: string; role: Role; reason: string; operator: string },
): Promise<Result<Actor>> {
  // Named as the command line's options, not as a GraphQL input.
  const checked = parseInput(bySubjectSchema, input, []);
  if (!checked.ok) return checked;
  const { subject, role, reason } = checked.value;
  const actor = await db.actor.upsert({ where: { subject }, create: { subject, roles: [] }, update: {} });
  return grantInTransaction(db, actor.id, role, reason, { commandLine: input.operator });
}
