import type { Badge, Brand, Store } from '@prisma/client';
import { GraphQLError } from 'graphql';
import { badgeLabel } from '../credentials/badge-credentials.js';
import { coverStores } from '../http/storefront-cache.js';
import {
  credentialAwaitsLog,
  currentBadgesOfStores,
  handedOutCredential,
  requestOfficialBadge,
  revokeBadge,
  verifyBadgeCredential,
  type BadgeVerification,
} from '../services/badges.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { StoreRef } from './stores.js';
import { parseGlobalId } from './global-ids.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';
import { logKept } from '../transparency/log-keys.js';

export const BadgeKindEnum = builder.enumType('BadgeKind', {
  values: {
    OFFICIAL_STORE: { description: "The store is run by the brand's own trademark holder." },
    AUTHORIZED_STORE: { description: 'The store resells under an authorization letter from the brand.' },
  } as const,
});
export const BadgeStatusEnum = builder.enumType('BadgeStatus', { values: ['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'] as const });

type BadgeWithRelations = Badge & { brand?: Brand; store?: Store };

// The storefront path loads badges with their brand and store in one batch;
// these fields use what was loaded and fall back to findUnique, which Prisma
// batches into one query per model for all badges of a response.
const brandOf = (badge: BadgeWithRelations, ctx: GraphQLContext) =>
  badge.brand ?? ctx.deps.db.brand.findUniqueOrThrow({ where: { id: badge.brandId } });
const storeOf = (badge: BadgeWithRelations, ctx: GraphQLContext) =>
  badge.store ?? ctx.deps.db.store.findUniqueOrThrow({ where: { id: badge.storeId } });

export const BadgeRef = builder.prismaNode('Badge', {
  id: { field: 'id' },
  fields: (t) => ({
    store: t.field({ type: StoreRef, resolve: (badge, _args, ctx) => storeOf(badge, ctx) }),
    brand: t.field({ type: BrandRef, resolve: (badge, _args, ctx) => brandOf(badge, ctx) }),
    kind: t.expose('kind', { type: BadgeKindEnum }),
    status: t.expose('status', { type: BadgeStatusEnum }),
    label: t.string({
      description: "Human-readable, e.g. 'Official authorized store of Acme'.",
      // Answered at once when the brand came with the badge (the storefront path): no promise per badge.
      resolve: (badge: BadgeWithRelations, _args, ctx) =>
        badge.brand
          ? badgeLabel(badge.kind, badge.brand.name)
          : ctx.deps.db.brand.findUniqueOrThrow({ where: { id: badge.brandId } }).then((brand) => badgeLabel(badge.kind, brand.name)),
    }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedReason: t.exposeString('revokedReason', { nullable: true }),
    credential: t.string({
      nullable: true,
      description:
        "Signed credential (compact JWS) that anyone can verify offline against the service's JWKS. Handed out once the transparency log's published checkpoint covers its grant (see `credentialPending`); null while the badge is not ACTIVE.",
      resolve: (badge, _args, ctx) => handedOutCredential(badge, logKept(ctx.deps.config)),
    }),
    credentialPending: t.boolean({
      description:
        "True while the badge's newest credential waits for the transparency log's next checkpoint to cover its grant (at most TLOG_CHECKPOINT_INTERVAL_SECONDS, a minute by default). Meanwhile `credential` is null for a new badge, or the previous credential for one signed again (new expiry or store origins).",
      resolve: (badge, _args, ctx) => credentialAwaitsLog(badge, logKept(ctx.deps.config)),
    }),
  }),
});

const StoreBadgesType = builder.objectRef<{ storeId: string; badges: BadgeWithRelations[] }>('StoreBadges').implement({
  fields: (t) => ({
    storeId: t.exposeID('storeId'),
    badges: t.field({ type: [BadgeRef], resolve: (entry) => entry.badges }),
  }),
});

const BadgeVerificationType = builder.objectRef<BadgeVerification>('BadgeVerification').implement({
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    status: t.field({ type: BadgeStatusEnum, nullable: true, resolve: (v) => v.status }),
    badge: t.field({ type: BadgeRef, nullable: true, resolve: (v) => v.badge }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

/** Storefronts ask for up to this many stores per page view. */
export const STORE_BADGES_MAX = 100;

builder.queryFields((t) => ({
  badgeStatus: t.field({
    type: [BadgeRef],
    description: "Public. One store's badges, optionally for one brand.",
    args: { storeId: t.arg.id(), brandSlug: t.arg.string({ required: false }) },
    resolve: async (_root, { storeId, brandSlug }, ctx) => {
      const id = parseGlobalId(storeId, 'Store', ['storeId']);
      coverStores(ctx, id.ok ? [id.value] : []);
      if (!id.ok) return [];
      return currentBadgesOfStores(ctx.deps, [id.value], LIST_BOUNDS.currentBadgesPerStore, brandSlug);
    },
  }),
  storeBadges: t.field({
    type: [StoreBadgesType],
    description: 'Public. Badges of up to 100 stores in one request.',
    args: { storeIds: t.arg.idList() },
    resolve: async (_root, { storeIds }, ctx) => {
      if (storeIds.length > STORE_BADGES_MAX) {
        throw new GraphQLError(`storeBadges takes at most ${STORE_BADGES_MAX} store ids; got ${storeIds.length}.`, {
          extensions: { code: 'LIMIT_EXCEEDED' },
        });
      }
      const parsed = storeIds.map((storeId) => ({ storeId, id: parseGlobalId(storeId, 'Store', ['storeIds']) }));
      const rowIds = parsed.flatMap((p) => (p.id.ok ? [p.id.value] : []));
      coverStores(ctx, rowIds);
      const badges = await currentBadgesOfStores(ctx.deps, rowIds, LIST_BOUNDS.currentBadgesPerStore);
      const byStore = new Map<string, BadgeWithRelations[]>();
      for (const badge of badges) {
        const list = byStore.get(badge.storeId);
        if (list) list.push(badge);
        else byStore.set(badge.storeId, [badge]);
      }
      return parsed.map(({ storeId, id }) => ({ storeId, badges: (id.ok && byStore.get(id.value)) || [] }));
    },
  }),
  verifyBadgeCredential: t.field({
    type: BadgeVerificationType,
    description: "Public. Checks a badge credential's signature, expiry and revocation.",
    args: { credential: t.arg.string() },
    resolve: (_root, { credential }, ctx) => verifyBadgeCredential(ctx.deps, credential),
  }),
}));

const BadgePayload = entityPayload<Badge>('BadgePayload', 'badge', BadgeRef);

const RequestOfficialBadgeInput = builder.inputType('RequestOfficialBadgeInput', { fields: (t) => ({ storeId: t.id(), brandId: t.id() }) });
export const RevokeInput = builder.inputType('RevokeInput', { fields: (t) => ({ id: t.id(), reason: t.string() }) });

builder.mutationFields((t) => ({
  requestOfficialBadge: t.field({
    type: BadgePayload,
    description: 'Store owner who is also a member of a VERIFIED brand: issues an OFFICIAL_STORE badge.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RequestOfficialBadgeInput }) },
    resolve: async (_root, { input }, ctx) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      return toPayload(await requestOfficialBadge(ctx.deps, ctx.access, { storeId: storeId.value, brandId: brandId.value }));
    },
  }),
  revokeBadge: t.field({
    type: BadgePayload,
    description: 'REVIEWER or ADMIN.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RevokeInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'Badge', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await revokeBadge(ctx.deps, ctx.access, { id: id.value, reason: input.reason }));
    },
  }),
}));

builder.subscriptionField('badgeChanged', (t) =>
  t.field({
    type: BadgeRef,
    description: "Public. Every change of the store's badges: issued, suspended, restored, revoked, expired.",
    args: { storeId: t.arg.id() },
    subscribe: (_root, { storeId }, ctx) => {
      const id = parseGlobalId(storeId, 'Store', ['storeId']);
      if (!id.ok) throw new GraphQLError(id.errors[0]!.message, { extensions: { code: 'INVALID' } });
      return ctx.events.subscribe('badgeChanged', id.value);
    },
    resolve: (event, _args, ctx) => ctx.deps.db.badge.findUniqueOrThrow({ where: { id: event.badgeId } }),
  }),
);
