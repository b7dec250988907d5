import type { Store, StoreOrigin } from '@prisma/client';
import { STORE_ORIGINS_MAX, addStoreOrigin, removeStoreOrigin, verificationUrl, verifyStoreOrigin } from '../services/store-origins.js';
import { createStore, findStore, updateStore } from '../services/stores.js';
import { ActorRef, seesActorDetails } from './actors.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { parseGlobalId } from './global-ids.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

export const StoreStatusEnum = builder.enumType('StoreStatus', { values: ['ACTIVE', 'SUSPENDED'] as const });

// A store's public profile (name, status, badges) is what storefronts show;
// what it may do is checked in the services against its owner.
// Reached only through Store.originClaims, which shows claims to the owner, reviewers and admins alone.
export const StoreOriginRef = builder.prismaObject('StoreOrigin', {
  fields: (t) => ({
    origin: t.exposeString('origin'),
    verified: t.boolean({ resolve: (claim) => claim.verifiedAt !== null }),
    verifiedAt: t.expose('verifiedAt', { type: 'DateTime', nullable: true }),
    verificationToken: t.exposeString('verificationToken', {
      description: 'Publish it as a line of the file at verificationUrl, then call verifyStoreOrigin.',
    }),
    verificationUrl: t.string({ resolve: (claim) => verificationUrl(claim.origin) }),
    lastCheckedAt: t.expose('lastCheckedAt', { type: 'DateTime', nullable: true }),
    lastCheckError: t.exposeString('lastCheckError', { nullable: true, description: 'Why the last verification failed.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const VERIFIED_ORIGINS = {
  where: { verifiedAt: { not: null } },
  orderBy: [{ verifiedAt: 'asc' as const }, { origin: 'asc' as const }],
  select: { origin: true },
};

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
    handle: t.exposeString('handle', {
      description: 'Public and unique: lowercase letters, digits and hyphens. findStore finds the store by it.',
    }),
    origins: t.stringList({
      description:
        'Public. The web origins the store proved it controls (https://shop.example). Its badge credentials name them in their `origins` claim: a widget shows the badge only on a page of one of them.',
      select: { origins: VERIFIED_ORIGINS },
      // Stores loaded outside Pothos' query (the storefront's joined read, findStore) come without them:
      // Prisma batches these per-store reads of one tick into one query.
      resolve: async (store, _args, ctx) => {
        const loaded = (store as { origins?: Array<{ origin: string }> }).origins;
        const rows = loaded ?? (await ctx.deps.db.store.findUniqueOrThrow({ where: { id: store.id } }).origins(VERIFIED_ORIGINS));
        return rows.map((row) => row.origin);
      },
    }),
    originClaims: t.field({
      type: [StoreOriginRef],
      description:
        "Every origin the store claimed, with its verification token. The store's owner, reviewers and admins; empty for others.",
      resolve: async (store, _args, ctx) => {
        if (!ctx.access.seesEverything && !(await ctx.access.ownedStoreIds()).has(store.id)) return [];
        return ctx.deps.db.storeOrigin.findMany({ where: { storeId: store.id }, orderBy: { createdAt: 'asc' }, take: STORE_ORIGINS_MAX });
      },
    }),
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

const CreateStoreInput = builder.inputType('CreateStoreInput', {
  fields: (t) => ({
    name: t.string(),
    handle: t.string({ required: false, description: 'Unique, lowercase; made from the name with a short suffix when not given.' }),
  }),
});

const UpdateStoreInput = builder.inputType('UpdateStoreInput', {
  fields: (t) => ({
    storeId: t.id(),
    name: t.string({ required: false }),
    handle: t.string({ required: false, description: 'The old handle stops finding the store at once.' }),
  }),
});

const StoreOriginInput = builder.inputType('StoreOriginInput', {
  fields: (t) => ({
    storeId: t.id(),
    origin: t.string({ description: 'scheme://host[:port], e.g. https://shop.example.' }),
  }),
});

const StoreOriginPayload = entityPayload<StoreOrigin>('StoreOriginPayload', 'storeOrigin', StoreOriginRef);

builder.queryField('findStore', (t) =>
  t.prismaField({
    type: StoreRef,
    nullable: true,
    description:
      'Public. The store with this handle ("acme-outlet" or "@acme-outlet"), or the one that verified the origin of this URL ("https://shop.example/p/1"); null when none.',
    args: { handleOrUrl: t.arg.string() },
    resolve: (_query, _root, { handleOrUrl }, ctx) => findStore(ctx.deps, handleOrUrl),
  }),
);

builder.mutationField('createStore', (t) =>
  t.field({
    type: StorePayload,
    description: 'MERCHANT. The caller owns the new store.',
    authScopes: { role: 'MERCHANT' },
    args: { input: t.arg({ type: CreateStoreInput }) },
    resolve: async (_root, { input }, ctx) => toPayload(await createStore(ctx.deps, ctx.access, input)),
  }),
);

builder.mutationFields((t) => ({
  updateStore: t.field({
    type: StorePayload,
    description: "The store's owner: renames it or changes its handle.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: UpdateStoreInput }) },
    resolve: async (_root, { input }, ctx) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      return toPayload(await updateStore(ctx.deps, ctx.access, { storeId: storeId.value, name: input.name, handle: input.handle }));
    },
  }),
  addStoreOrigin: t.field({
    type: StoreOriginPayload,
    description: "The store's owner: claims a web origin and gets the token to publish at its verificationUrl.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: StoreOriginInput }) },
    resolve: async (_root, { input }, ctx) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      return toPayload(await addStoreOrigin(ctx.deps, ctx.access, { storeId: storeId.value, origin: input.origin }));
    },
  }),
  verifyStoreOrigin: t.field({
    type: StoreOriginPayload,
    description:
      "The store's owner: the service reads the token at the origin; once found, the origin is verified and the store's badge credentials are signed again naming it.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: StoreOriginInput }) },
    resolve: async (_root, { input }, ctx) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      return toPayload(await verifyStoreOrigin(ctx.deps, ctx.access, { storeId: storeId.value, origin: input.origin }));
    },
  }),
  removeStoreOrigin: t.field({
    type: StorePayload,
    description: "The store's owner: removes an origin; when it was verified, the store's badge credentials are signed again without it.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: StoreOriginInput }) },
    resolve: async (_root, { input }, ctx) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      return toPayload(await removeStoreOrigin(ctx.deps, ctx.access, { storeId: storeId.value, origin: input.origin }));
    },
  }),
}));
