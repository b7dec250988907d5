import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Store } from '@prisma/client';
import { GraphQLError } from 'graphql';
import {
  authorizeResellerOverview,
  listResellers,
  RESELLER_PAGE_DEFAULT,
  RESELLER_PAGE_MAX,
  resellerCounts,
  type Reseller,
  type ResellerCounts,
  type ResellerLetter,
} from '../services/reseller-overview.js';
import { AuthorizationStatusEnum } from './authorization-letters.js';
import { BadgeRef, BadgeStatusEnum } from './badges.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { StoreRef } from './stores.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_PREFIX = 'Reseller:';

const cursorOf = (storeId: string) => Buffer.from(`${CURSOR_PREFIX}${storeId}`).toString('base64');

function storeIdOfCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const storeId = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!UUID.test(storeId)) throw new GraphQLError('This is not a cursor of this list.', { extensions: { code: 'INVALID' } });
  return storeId;
}

function invalid(message: string): never {
  throw new GraphQLError(message, { extensions: { code: 'INVALID' } });
}

const storeOf = (reseller: Reseller): Store => reseller.store;

const ResellerLetterRef = builder.objectRef<ResellerLetter>('ResellerLetter').implement({
  description: "One letter of a reseller's chain, as the brand sees it.",
  fields: (t) => ({
    letterId: t.id({
      description: 'The AuthorizationLetter id (for node and the letter mutations).',
      resolve: (letter) => encodeGlobalID('AuthorizationLetter', letter.id),
    }),
    storeId: t.id({ description: 'The store that holds this letter.', resolve: (letter) => encodeGlobalID('Store', letter.storeId) }),
    storeName: t.exposeString('storeName'),
    chainDepth: t.exposeInt('chainDepth', { description: '1 = granted by the brand, 2 = granted by a level-1 holder.' }),
    status: t.field({ type: AuthorizationStatusEnum, resolve: (letter) => letter.status }),
    scope: t.exposeString('scope'),
    validFrom: t.expose('validFrom', { type: 'DateTime' }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
    revokedReason: t.exposeString('revokedReason', { nullable: true }),
  }),
});

const ResellerRef = builder.objectRef<Reseller>('Reseller').implement({
  description: 'A store the brand authorized, directly or through a distributor.',
  fields: (t) => ({
    store: t.field({ type: StoreRef, resolve: storeOf }),
    letter: t.field({ type: ResellerLetterRef, description: "The store's current letter.", resolve: (r) => r.letter }),
    chain: t.field({
      type: [ResellerLetterRef],
      description: 'The letters from the brand down to the store: the one the brand granted first, the store’s own last.',
      resolve: (r) => r.chain,
    }),
    status: t.field({
      type: BadgeStatusEnum,
      nullable: true,
      description: "The badge's status (ACTIVE, SUSPENDED, EXPIRED, REVOKED); null when the letter has no badge.",
      resolve: (r) => r.badge?.status ?? null,
    }),
    badge: t.field({
      type: BadgeRef,
      nullable: true,
      description: "The letter's badge.",
      // One batched statement for every badge of the page.
      resolve: (r, _args, ctx) => (r.badge ? ctx.deps.db.badge.findUnique({ where: { id: r.badge.id } }) : null),
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: "The badge's expiry, or the letter's end when it has no badge." }),
    expiresSoon: t.exposeBoolean('expiresSoon', { description: 'The badge stands and ends within the renewal reminder lead.' }),
    expiryReminderSentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the store was reminded to renew before the current expiry.',
      resolve: (r) => r.badge?.reminderSentAt ?? null,
    }),
  }),
});

const ResellerCountsRef = builder.objectRef<ResellerCounts>('ResellerCounts').implement({
  description: "Every reseller of the brand by its badge's status, regardless of the page or filter.",
  fields: (t) => ({
    total: t.exposeInt('total'),
    active: t.exposeInt('active'),
    suspended: t.exposeInt('suspended'),
    expired: t.exposeInt('expired'),
    revoked: t.exposeInt('revoked'),
    expiringSoon: t.exposeInt('expiringSoon', { description: 'Live badges within the renewal reminder lead of their expiry.' }),
  }),
});

const ResellerFilterInput = builder.inputType('ResellerFilter', {
  fields: (t) => ({
    status: t.field({ type: [BadgeStatusEnum], required: false, description: "The badge's status." }),
    expiresSoon: t.boolean({ required: false, description: 'Live badges within the renewal reminder lead of their expiry.' }),
    chainDepth: t.int({ required: false }),
  }),
});

builder.objectField(BrandRef, 'resellers', (t) =>
  t.connection(
    {
      type: ResellerRef,
      nullable: true,
      description: "The brand's members, reviewers and admins: every store the brand's letters authorized, ordered by store.",
      args: { filter: t.arg({ type: ResellerFilterInput, required: false }) },
      resolve: async (brand, args, ctx) => {
        await authorizeResellerOverview(ctx.access, brand.id);
        if (args.last != null || args.before != null) invalid('The reseller list pages forward only: use first and after.');
        const first = args.first ?? RESELLER_PAGE_DEFAULT;
        if (first < 0 || first > RESELLER_PAGE_MAX) invalid(`first is between 0 and ${RESELLER_PAGE_MAX}.`);
        const afterStoreId = args.after ? storeIdOfCursor(args.after) : null;
        const page = await listResellers(ctx.deps, brand.id, args.filter ?? {}, { first, afterStoreId });
        const edges = page.rows.map((node) => ({ cursor: cursorOf(node.storeId), node }));
        return {
          brandId: brand.id,
          edges,
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: afterStoreId !== null,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    {
      name: 'ResellerConnection',
      fields: (c) => ({
        counts: c.field({
          type: ResellerCountsRef,
          description: 'For a header: counts by status over all the brand’s resellers.',
          resolve: (connection, _args, ctx) => resellerCounts(ctx.deps, (connection as unknown as { brandId: string }).brandId),
        }),
      }),
    },
    { name: 'ResellerEdge' },
  ),
);
