import type { Store } from '@prisma/client';
import { createStore } from '../services/stores.js';
import { ActorRef, seesActorDetails } from './actors.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { entityPayload, toPayload } from './user-errors.js';

export const StoreStatusEnum = builder.enumType('StoreStatus', { values: ['ACTIVE', 'SUSPENDED'] as const });

// A store's public profile (name, status, badges) is what storefronts show;
// what it may do is checked in the services against its owner.
export const StoreRef = builder.prismaNode('Store', {
  id: { field: 'id' },
  fields: (t) => ({
    name: t.exposeString('name'),
    status: t.expose('status', { type: StoreStatusEnum }),
    badges: t.relation('badges', {
      description: 'Every badge the store has held, newest first.',
      query: { orderBy: { issuedAt: 'desc' }, take: LIST_BOUNDS.storeBadgeHistory },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(ActorRef, 'stores', (t) =>
  t.prismaField({
    type: [StoreRef],
    description: 'Stores the actor owns. Empty unless the caller is this actor, a reviewer or an admin.',
    resolve: (query, actor, _args, ctx) =>
      seesActorDetails(actor, ctx)
        ? ctx.deps.db.store.findMany({
            ...query,
            where: { ownerId: actor.id },
            orderBy: { createdAt: 'asc' },
            take: LIST_BOUNDS.actorStores,
          })
        : [],
  }),
);

builder.prismaObjectField(BrandRef, 'officialStores', (t) =>
  t.prismaConnection(
    {
      type: StoreRef,
      cursor: 'id',
      description: 'Stores holding an ACTIVE badge of this brand. Public.',
      resolve: (query, brand, _args, ctx) =>
        ctx.deps.db.store.findMany({
          ...query,
          where: { badges: { some: { brandId: brand.id, status: 'ACTIVE' } } },
          orderBy: { id: 'asc' },
        }),
    },
    { name: 'StoreConnection' },
    { name: 'StoreEdge' },
  ),
);

const StorePayload = entityPayload<Store>('StorePayload', 'store', StoreRef);

const CreateStoreInput = builder.inputType('CreateStoreInput', { fields: (t) => ({ name: t.string() }) });

builder.mutationField('createStore', (t) =>
  t.field({
    type: StorePayload,
    description: 'MERCHANT. The caller owns the new store.',
    authScopes: { role: 'MERCHANT' },
    args: { input: t.arg({ type: CreateStoreInput }) },
    resolve: async (_root, { input }, ctx) => toPayload(await createStore(ctx.deps, ctx.access, input)),
  }),
);
