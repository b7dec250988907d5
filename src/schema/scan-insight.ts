// Scan insight for a brand's team: how its product codes are checked, the
// codes checked suspiciously often, clone alerts, and batch distributors.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { listCloneAlerts, type AlertPageCursor, type CloneAlert } from '../services/clone-alerts.js';
import {
  assignProductBatch,
  cloneAlertChecksOf,
  setCloneAlertChecks,
  mostRepeatedCodes,
  scanCountsByBatch,
  scanCountsBySku,
  scanInsightOf,
  scanTotals,
  type BatchScanCounts,
  type ProductBatchAssignment,
  type RepeatedProductCode,
  type ScanCounts,
  type ScanInsightScope,
  type SkuScanCounts,
} from '../services/scan-insight.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { parseGlobalId } from './global-ids.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { UserErrorType, failedPayload, toPayload, type Payload } from './user-errors.js';

/** A list's `first`, within 0 and its bound. */
export const boundedFirst = (first: unknown, fallback: number, bound: number) => {
  const asked = Number(first ?? fallback);
  return Number.isFinite(asked) ? Math.min(Math.max(Math.trunc(asked), 0), bound) : bound;
};
const DEFAULT_GROUPS = 20;

const productCodeId = (id: string) => encodeGlobalID('ProductCode', id);

const ScanCountsRef = builder.interfaceRef<ScanCounts>('ScanCounts').implement({
  description: 'How a set of product codes has been checked.',
  fields: (t) => ({
    codesRegistered: t.exposeInt('codesRegistered'),
    codesChecked: t.exposeInt('codesChecked', { description: 'Codes checked at least once.' }),
    codesCheckedRepeatedly: t.exposeInt('codesCheckedRepeatedly', {
      description: 'Codes checked more than once: a genuine item is checked once or twice, a copied code again and again.',
    }),
    totalChecks: t.float({ description: 'Every check of these codes.', resolve: (c) => Number(c.totalChecks) }),
    firstCheckedAt: t.expose('firstCheckedAt', { type: 'DateTime', nullable: true }),
    lastCheckedAt: t.expose('lastCheckedAt', { type: 'DateTime', nullable: true }),
  }),
});

const ScanTotalsRef = builder.objectRef<ScanCounts>('ScanTotals').implement({
  description: "All of the brand's codes.",
  interfaces: [ScanCountsRef],
  fields: () => ({}),
});

const SkuScanInsightRef = builder.objectRef<SkuScanCounts>('SkuScanInsight').implement({
  interfaces: [ScanCountsRef],
  fields: (t) => ({ sku: t.exposeString('sku') }),
});

export const ProductBatchRef = builder.objectRef<ProductBatchAssignment>('ProductBatch').implement({
  description: 'A batch of product codes and the distributor it was shipped to.',
  fields: (t) => ({
    batch: t.exposeString('batch'),
    distributorName: t.exposeString('distributorName'),
    distributorReference: t.exposeString('distributorReference', { nullable: true }),
    assignedAt: t.expose('assignedAt', { type: 'DateTime' }),
  }),
});

const BatchScanInsightRef = builder.objectRef<BatchScanCounts>('BatchScanInsight').implement({
  interfaces: [ScanCountsRef],
  fields: (t) => ({
    batch: t.exposeString('batch', { nullable: true, description: 'Null for codes registered without a batch.' }),
    distributor: t.field({ type: ProductBatchRef, nullable: true, resolve: (b) => b.assignment }),
  }),
});

const ProductCodeStatusEnum = builder.enumType('ProductCodeStatus', { values: ['ACTIVE', 'REVOKED'] as const });

const RepeatedProductCodeRef = builder.objectRef<RepeatedProductCode>('RepeatedProductCode').implement({
  description: 'A code checked more than once. Codes are stored only as keyed hashes, so it is named by its id.',
  fields: (t) => ({
    id: t.id({ resolve: (c) => productCodeId(c.id) }),
    sku: t.exposeString('sku'),
    batch: t.exposeString('batch', { nullable: true }),
    status: t.field({ type: ProductCodeStatusEnum, resolve: (c) => c.status }),
    verificationCount: t.exposeInt('verificationCount'),
    firstVerifiedAt: t.expose('firstVerifiedAt', { type: 'DateTime', nullable: true }),
    lastVerifiedAt: t.expose('lastVerifiedAt', { type: 'DateTime', nullable: true }),
  }),
});

const ScanInsightRef = builder.objectRef<ScanInsightScope>('ScanInsight').implement({
  fields: (t) => ({
    cloneAlertChecks: t.int({
      description: "A code checked more often than this raises a clone alert: the brand's own threshold, else the service's.",
      resolve: (scope, _args, ctx) => cloneAlertChecksOf(ctx.deps, scope),
    }),
    totals: t.field({ type: ScanTotalsRef, resolve: (scope, _args, ctx) => scanTotals(ctx.deps, scope) }),
    skus: t.field({
      type: [SkuScanInsightRef],
      description: 'Per SKU, most codes checked repeatedly first.',
      args: {
        first: t.arg.int({ required: false, description: `${DEFAULT_GROUPS} unless asked, at most ${LIST_BOUNDS.scanInsightSkus}.` }),
      },
      resolve: (scope, { first }, ctx) =>
        scanCountsBySku(ctx.deps, scope, boundedFirst(first, DEFAULT_GROUPS, LIST_BOUNDS.scanInsightSkus)),
    }),
    batches: t.field({
      type: [BatchScanInsightRef],
      description: 'Per batch with its distributor, most codes checked repeatedly first.',
      args: {
        first: t.arg.int({ required: false, description: `${DEFAULT_GROUPS} unless asked, at most ${LIST_BOUNDS.scanInsightBatches}.` }),
      },
      resolve: (scope, { first }, ctx) =>
        scanCountsByBatch(ctx.deps, scope, boundedFirst(first, DEFAULT_GROUPS, LIST_BOUNDS.scanInsightBatches)),
    }),
    mostRepeatedCodes: t.field({
      type: [RepeatedProductCodeRef],
      description: 'Codes checked more than once, most checks first.',
      args: {
        first: t.arg.int({
          required: false,
          description: `${DEFAULT_GROUPS} unless asked, at most ${LIST_BOUNDS.scanInsightRepeatedCodes}.`,
        }),
      },
      resolve: (scope, { first }, ctx) =>
        mostRepeatedCodes(ctx.deps, scope, boundedFirst(first, DEFAULT_GROUPS, LIST_BOUNDS.scanInsightRepeatedCodes)),
    }),
  }),
});

builder.prismaObjectField(BrandRef, 'scanInsight', (t) =>
  t.field({
    type: ScanInsightRef,
    nullable: true,
    description: "Brand team (AGENTs included). How the brand's product codes are checked, per SKU and per batch.",
    resolve: (brand, _args, ctx) => scanInsightOf(ctx.access, brand.id),
  }),
);

const CloneAlertRef = builder.objectRef<CloneAlert>('ProductCodeCloneAlert').implement({
  description: 'A code checked more often than PRODUCT_CODE_CLONE_ALERT_CHECKS allows; raised once per code.',
  fields: (t) => ({
    id: t.id({ resolve: (a) => encodeGlobalID('ProductCodeCloneAlert', a.id) }),
    productCodeId: t.id({ resolve: (a) => productCodeId(a.productCodeId) }),
    sku: t.exposeString('sku'),
    batch: t.exposeString('batch', { nullable: true }),
    distributor: t.field({
      type: ProductBatchRef,
      nullable: true,
      description: "The distributor the code's batch was assigned to, if any.",
      resolve: (a) =>
        a.batch !== null && a.distributorName !== null && a.distributorAssignedAt !== null
          ? {
              batch: a.batch,
              distributorName: a.distributorName,
              distributorReference: a.distributorReference,
              assignedAt: a.distributorAssignedAt,
            }
          : null,
    }),
    verificationCountAtAlert: t.exposeInt('verificationCountAtAlert'),
    threshold: t.exposeInt('threshold'),
    verificationCount: t.exposeInt('verificationCount', { description: 'Checks of the code now.' }),
    firstVerifiedAt: t.expose('firstVerifiedAt', { type: 'DateTime', nullable: true }),
    lastVerifiedAt: t.expose('lastVerifiedAt', { type: 'DateTime', nullable: true }),
    raisedAt: t.expose('raisedAt', { type: 'DateTime' }),
    published: t.exposeBoolean('published', { description: 'Whether its PRODUCT_CODE_CLONE_ALERT webhook event was written.' }),
  }),
});

const encodeCursor = (a: CloneAlert) => Buffer.from(`${a.raisedAt.toISOString()}|${a.id}`, 'utf8').toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): AlertPageCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const raisedAt = new Date(at ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(raisedAt.getTime())) {
    throw new GraphQLError('This is not a cursor of this list.', { extensions: { code: 'INVALID', field: ['after'] } });
  }
  return { raisedAt, id };
}

builder.prismaObjectField(BrandRef, 'cloneAlerts', (t) =>
  t.connection(
    {
      type: CloneAlertRef,
      nullable: true,
      description: 'Brand team (AGENTs included). Clone alerts, newest first; pages forward with first/after.',
      resolve: async (brand, args, ctx) => {
        if (args.last != null || args.before != null) {
          throw new GraphQLError('Clone alerts page forward only: use first and after.', { extensions: { code: 'INVALID' } });
        }
        const first = boundedFirst(args.first, 20, 100);
        const rows = await listCloneAlerts(ctx.deps, ctx.access, brand.id, {
          limit: first + 1,
          after: args.after ? decodeCursor(args.after) : null,
        });
        const page = rows.slice(0, first);
        return {
          edges: page.map((node) => ({ cursor: encodeCursor(node), node })),
          pageInfo: {
            hasNextPage: rows.length > first,
            hasPreviousPage: args.after != null,
            startCursor: page[0] ? encodeCursor(page[0]) : null,
            endCursor: page.at(-1) ? encodeCursor(page.at(-1)!) : null,
          },
        };
      },
    },
    { name: 'ProductCodeCloneAlertConnection' },
  ),
);

const AssignProductBatchInput = builder.inputType('AssignProductBatchInput', {
  fields: (t) => ({
    brandId: t.id(),
    batch: t.string({ description: 'A batch the brand registered codes in.' }),
    distributorName: t.string(),
    distributorReference: t.string({ required: false, description: 'The distributor’s id in your own systems, a contract number…' }),
  }),
});

const AssignProductBatchPayload = builder.objectRef<Payload<ProductBatchAssignment>>('AssignProductBatchPayload').implement({
  fields: (t) => ({
    productBatch: t.field({ type: ProductBatchRef, nullable: true, resolve: (p) => p.value }),
    userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
  }),
});

builder.mutationField('assignProductBatch', (t) =>
  t.field({
    type: AssignProductBatchPayload,
    description:
      'Brand OWNER or MANAGER. Records the distributor a batch went to, shown in scan insight and on clone alerts; again replaces it.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AssignProductBatchInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      return toPayload(await assignProductBatch(ctx.deps, ctx.access, { ...input, brandId: brandId.value }));
    },
  }),
);

const SetCloneAlertChecksInput = builder.inputType('SetCloneAlertChecksInput', {
  fields: (t) => ({
    brandId: t.id(),
    checks: t.int({ required: false, description: "1 to 1,000,000; null goes back to the service's threshold." }),
  }),
});

const SetCloneAlertChecksPayload = builder.objectRef<Payload<{ cloneAlertChecks: number }>>('SetCloneAlertChecksPayload').implement({
  fields: (t) => ({
    cloneAlertChecks: t.int({
      nullable: true,
      description: 'The threshold now in force.',
      resolve: (p) => p.value?.cloneAlertChecks ?? null,
    }),
    userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
  }),
});

builder.mutationField('setCloneAlertChecks', (t) =>
  t.field({
    type: SetCloneAlertChecksPayload,
    description:
      'Brand OWNER or MANAGER. How many checks of one code the brand allows before a clone alert; applies from the next check on.',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SetCloneAlertChecksInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']);
      if (!brandId.ok) return failedPayload(brandId);
      return toPayload(await setCloneAlertChecks(ctx.deps, ctx.access, { brandId: brandId.value, checks: input.checks ?? null }));
    },
  }),
);
