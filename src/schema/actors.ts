import { encodeGlobalID } from '@pothos/plugin-relay';
import { ROLES, type CurrentActor } from '../auth/index.js';
import { builder } from './builder.js';
import { BrandRef } from './brands.js';
import { LIST_BOUNDS } from './list-bounds.js';

export const RoleEnum = builder.enumType('Role', { values: ROLES });

export const ActorRef = builder.objectRef<CurrentActor>('Actor').implement({
  fields: (t) => ({
    id: t.id({ resolve: (actor) => encodeGlobalID('Actor', actor.id) }),
    roles: t.field({ type: [RoleEnum], resolve: (actor) => [...actor.roles] }),
    brands: t.prismaField({
      type: [BrandRef],
      resolve: (query, actor, _args, ctx) =>
        ctx.deps.db.brand.findMany({
          ...query,
          where: { members: { some: { actorId: actor.id } } },
          orderBy: { createdAt: 'asc' },
          take: LIST_BOUNDS.actorBrands,
        }),
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: ActorRef,
    nullable: true,
    description: 'The signed-in caller, or null without a token.',
    resolve: (_root, _args, ctx) => ctx.access.actor,
  }),
);
