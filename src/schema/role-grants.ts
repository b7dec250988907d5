import type { Actor } from '@prisma/client';
import { grantRole, revokeRole, type RoleChangeInput } from '../services/role-grants.js';
import type { Access } from '../auth/access.js';
import type { ServiceDeps } from '../services/service-deps.js';
import type { Result } from '../errors.js';
import { ActorRef, RoleEnum, actorView, type ActorView } from './actors.js';
import { builder } from './builder.js';
import { parseGlobalId } from './global-ids.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

const ActorPayload = entityPayload<ActorView>('ActorPayload', 'actor', ActorRef);

const RoleChangeFields = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      actorId: t.id(),
      role: t.field({ type: RoleEnum, description: 'REVIEWER or ADMIN; other roles come from the identity provider.' }),
      reason: t.string({ description: 'Kept in the audit record.' }),
    }),
  });

const GrantRoleInput = RoleChangeFields('GrantRoleInput', 'A server-held role for an actor who has signed in at least once.');
const RevokeRoleInput = RoleChangeFields('RevokeRoleInput', "Ends a server-held role; it is gone from the actor's next request.");

type Change = (deps: ServiceDeps, access: Access, input: RoleChangeInput) => Promise<Result<Actor>>;

function roleMutation(name: string, input: typeof GrantRoleInput, description: string, change: Change) {
  builder.mutationField(name, (t) =>
    t.field({
      type: ActorPayload,
      description,
      authScopes: { role: 'ADMIN' },
      args: { input: t.arg({ type: input }) },
      resolve: async (_root, args, ctx) => {
        const given = args.input as { actorId: string; role: RoleChangeInput['role']; reason: string };
        const actorId = parseGlobalId(given.actorId, 'Actor', ['input', 'actorId']);
        if (!actorId.ok) return failedPayload(actorId);
        const result = await change(ctx.deps, ctx.access, { ...given, actorId: actorId.value });
        return toPayload(result.ok ? { ok: true, value: actorView(result.value) } : result);
      },
    }),
  );
}

roleMutation('grantRole', GrantRoleInput, 'ADMIN. Grants REVIEWER or ADMIN, with an audit record; not to oneself.', grantRole);
roleMutation('revokeRole', RevokeRoleInput, 'ADMIN. Revokes a granted REVIEWER or ADMIN role, with an audit record.', revokeRole);
