import { createHash } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { ROLES, type Role } from '../auth/index.js';
import { builder } from './builder.js';
import { BrandRef } from './brands.js';
import type { GraphQLContext } from './context.js';
import { LIST_BOUNDS } from './list-bounds.js';

export const RoleEnum = builder.enumType('Role', { values: ROLES });

/** What the API shows of an actor; never the token subject, which may be an e-mail address. */
export interface ActorView {
  id: string;
  roles: readonly Role[];
  displayName: string | null;
}

export const actorView = (actor: { id: string; roles: Iterable<Role>; displayName: string | null }): ActorView => ({
  id: actor.id,
  roles: [...actor.roles],
  displayName: actor.displayName,
});

/**
 * An actor's roles, brands and stores are theirs to see, and reviewers' and
 * admins'. Anyone else (a consumer looking at the reviewer of their complaint)
 * gets empty lists, not an error, so one query shape serves every caller.
 */
export const seesActorDetails = (actor: { id: string }, ctx: GraphQLContext) =>
  ctx.access.actor?.id === actor.id || ctx.access.seesEverything;

/** Stable and derived from the opaque id only, so it tells nothing the id doesn't. */
const pseudonym = (id: string) => `User ${createHash('sha256').update(id).digest('hex').slice(0, 6).toUpperCase()}`;

export const ActorRef = builder.objectRef<ActorView>('Actor').implement({
  fields: (t) => ({
    id: t.id({ resolve: (actor) => encodeGlobalID('Actor', actor.id) }),
    displayName: t.string({
      description: "The name the identity provider gave, else a stable pseudonym. Never the token's subject.",
      resolve: (actor) => actor.displayName ?? pseudonym(actor.id),
    }),
    roles: t.field({
      type: [RoleEnum],
      description: 'Empty unless the caller is this actor, a reviewer or an admin.',
      resolve: (actor, _args, ctx) => (seesActorDetails(actor, ctx) ? [...actor.roles] : []),
    }),
    brands: t.prismaField({
      type: [BrandRef],
      description: 'Empty unless the caller is this actor, a reviewer or an admin.',
      resolve: (query, actor, _args, ctx) =>
        seesActorDetails(actor, ctx)
          ? ctx.deps.db.brand.findMany({
              ...query,
              where: { members: { some: { actorId: actor.id } } },
              orderBy: { createdAt: 'asc' },
              take: LIST_BOUNDS.actorBrands,
            })
          : [],
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: ActorRef,
    nullable: true,
    description: 'The signed-in caller, or null without a token.',
    resolve: (_root, _args, ctx) => (ctx.access.actor ? actorView(ctx.access.actor) : null),
  }),
);
