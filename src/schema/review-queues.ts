import type { AuthorizationLetter, Complaint, Trademark } from '@prisma/client';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveCursorConnection, type PageInfoShape } from '@pothos/plugin-relay';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Result, UserError } from '../errors.js';
import { claimLetterReview, claimTrademarkReview, releaseLetterReview, releaseTrademarkReview } from '../services/review-claims.js';
import {
  QUEUE_PAGE,
  decodeQueueCursor,
  encodeQueueCursor,
  pageSizeProblems,
  type QueueKind,
  type QueueOrder,
  type QueuePosition,
} from '../services/review-queue-pages.js';
import { parseQueueFilter, queueCounts, queuePage, type QueueFilter, type QueueFilterInput } from '../services/review-queues.js';
import { AuthorizationLetterPayload, AuthorizationLetterRef, AuthorizationStatusEnum } from './authorization-letters.js';
import { builder } from './builder.js';
import { ComplaintRef, ComplaintStatusEnum } from './complaints.js';
import type { GraphQLContext } from './context.js';
import { parseGlobalId } from './global-ids.js';
import { ReviewStatusEnum, TrademarkPayload, TrademarkRef } from './trademarks.js';
import { failedPayload, toPayload } from './user-errors.js';

const ORDER_VALUES = {
  OLDEST_FIRST: { description: 'Longest waiting first (the default).' },
  NEWEST_FIRST: { description: 'Most recently submitted first.' },
} as const;
const ReviewQueueOrderEnum = builder.enumType('ReviewQueueOrder', { values: ORDER_VALUES });
const ComplaintQueueOrderEnum = builder.enumType('ComplaintQueueOrder', {
  values: { ...ORDER_VALUES, ESCALATED_FIRST: { description: 'Escalated complaints first, each group longest waiting first.' } },
});

const QueueCountsRef = builder.objectRef<{ all: number; unassigned: number; mine: number }>('ReviewQueueCounts').implement({
  description: "A queue header's numbers: the filter's status, brand, store and dates, whatever its unassigned and mine say.",
  fields: (t) => ({
    all: t.exposeInt('all'),
    unassigned: t.exposeInt('unassigned'),
    mine: t.exposeInt('mine', { description: 'Claimed by the caller.' }),
  }),
});
const ComplaintQueueCountsRef = builder
  .objectRef<{ all: number; unassigned: number; mine: number; escalated: number }>('ComplaintQueueCounts')
  .implement({
    description: "A queue header's numbers: the filter's status, brand, store and dates, whatever its unassigned, mine and escalated say.",
    fields: (t) => ({
      all: t.exposeInt('all'),
      unassigned: t.exposeInt('unassigned'),
      mine: t.exposeInt('mine', { description: 'Claimed by the caller.' }),
      escalated: t.exposeInt('escalated', { description: 'No decision came within the review deadline.' }),
    }),
  });

const SUBMITTED_BETWEEN = 'Submitted at or after submittedFrom and before submittedTo.';

const TrademarkQueueFilter = builder.inputType('TrademarkQueueFilter', {
  fields: (t) => ({
    status: t.field({ type: [ReviewStatusEnum], required: false, description: 'Default: SUBMITTED.' }),
    unassigned: t.boolean({ required: false, description: 'Only what no reviewer has claimed.' }),
    mine: t.boolean({ required: false, description: 'Only what the caller has claimed.' }),
    brandId: t.id({ required: false }),
    submittedFrom: t.field({ type: 'DateTime', required: false, description: SUBMITTED_BETWEEN }),
    submittedTo: t.field({ type: 'DateTime', required: false }),
  }),
});

const LetterQueueFilter = builder.inputType('LetterQueueFilter', {
  fields: (t) => ({
    status: t.field({ type: [AuthorizationStatusEnum], required: false, description: 'Default: SUBMITTED.' }),
    unassigned: t.boolean({ required: false, description: 'Only what no reviewer has claimed.' }),
    mine: t.boolean({ required: false, description: 'Only what the caller has claimed.' }),
    brandId: t.id({ required: false }),
    storeId: t.id({ required: false, description: 'The store the letter authorizes.' }),
    submittedFrom: t.field({ type: 'DateTime', required: false, description: SUBMITTED_BETWEEN }),
    submittedTo: t.field({ type: 'DateTime', required: false }),
  }),
});

const ComplaintQueueFilter = builder.inputType('ComplaintQueueFilter', {
  fields: (t) => ({
    status: t.field({ type: [ComplaintStatusEnum], required: false, description: 'Default: UNDER_REVIEW and APPEALED.' }),
    unassigned: t.boolean({ required: false, description: 'Only what no reviewer has claimed.' }),
    mine: t.boolean({ required: false, description: 'Only what the caller has claimed.' }),
    escalated: t.boolean({ required: false, description: 'true: only escalated; false: only not escalated.' }),
    brandId: t.id({ required: false }),
    storeId: t.id({ required: false }),
    submittedFrom: t.field({ type: 'DateTime', required: false, description: `${SUBMITTED_BETWEEN} A complaint is submitted when filed.` }),
    submittedTo: t.field({ type: 'DateTime', required: false }),
  }),
});

type FilterArgs = Omit<QueueFilterInput, 'brandId' | 'storeId'> & { brandId?: string | null; storeId?: string | null };

interface QueueArgs {
  filter?: FilterArgs | null;
  orderBy?: QueueOrder | null;
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** The connection as Pothos reads it. */
type QueueConnection<Node> = { edges: Array<{ cursor: string; node: Node }>; pageInfo: PageInfoShape };

/** Kept on the connection so its counts are taken only when asked for, over the same filter. */
interface QueueOf {
  queue: { kind: QueueKind; filter: QueueFilter };
}

/** Arguments a queue can't be read with: every problem at once, as a GraphQL error (a query has no payload). */
function badUserInput(problems: UserError[]): GraphQLError {
  return new GraphQLError(problems.map((p) => p.message).join(' '), {
    extensions: { code: 'BAD_USER_INPUT', problems: problems.map((p) => ({ code: p.code, field: p.field ?? null, message: p.message })) },
  });
}

const failure = <T>(result: Result<T> | null, problems: UserError[]): T | null => {
  if (!result) return null;
  if (result.ok) return result.value;
  problems.push(...result.errors);
  return null;
};

type QueueRow = { createdAt: Date; id: string; escalated?: boolean };
const positionOf = (row: QueueRow): QueuePosition => ({
  escalated: row.escalated ?? false,
  createdAt: row.createdAt,
  id: row.id,
});

async function resolveQueue(kind: QueueKind, typeName: string, args: QueueArgs, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const order = args.orderBy ?? 'OLDEST_FIRST';
  const problems: UserError[] = pageSizeProblems(args);
  const id = (value: string | null | undefined, typename: string, name: string) =>
    value ? failure(parseGlobalId(value, typename, ['filter', name]), problems) : null;
  const brandId = id(args.filter?.brandId, 'Brand', 'brandId');
  const storeId = id(args.filter?.storeId, 'Store', 'storeId');
  const filter = failure(parseQueueFilter(kind, { ...args.filter, brandId, storeId }), problems);
  const cursor = (value: string | null | undefined, name: string) =>
    value ? failure(decodeQueueCursor(kind, order, value, [name]), problems) : null;
  const after = cursor(args.after, 'after');
  const before = cursor(args.before, 'before');
  if (problems.length > 0 || !filter) throw badUserInput(problems);

  // The relations selected under each node are loaded with the page, in its one query.
  const nodeQuery = queryFromInfo({ context: ctx, info, typeName, path: ['edges', 'node'] });
  const connection = await resolveCursorConnection(
    { args, ...QUEUE_PAGE, toCursor: (row: unknown) => encodeQueueCursor(kind, order, positionOf(row as QueueRow)) },
    ({ limit, inverted }) =>
      queuePage(
        ctx.deps,
        ctx.access,
        kind,
        filter,
        { order, from: inverted ? before : after, until: inverted ? after : before, limit, inverted },
        nodeQuery,
      ),
  );
  const queue: QueueOf['queue'] = { kind, filter };
  return { ...connection, queue } as unknown as QueueConnection<never>;
}

const mayReadQueues = (_parent: unknown, _args: unknown, ctx: GraphQLContext) => ctx.access.hasRole('REVIEWER', 'ADMIN');
const countsOf = (connection: object, ctx: GraphQLContext) => {
  const { kind, filter } = (connection as QueueOf).queue;
  return queueCounts(ctx.deps, ctx.access, kind, filter);
};

builder.queryField('trademarkReviewQueue', (t) =>
  t.connection(
    {
      type: TrademarkRef,
      description: 'REVIEWER or ADMIN. Trademarks to review, longest waiting first unless asked otherwise.',
      authScopes: mayReadQueues,
      args: {
        filter: t.arg({ type: TrademarkQueueFilter, required: false }),
        orderBy: t.arg({ type: ReviewQueueOrderEnum, required: false }),
      },
      resolve: (_root, args, ctx, info) =>
        resolveQueue('TRADEMARK', 'Trademark', args as QueueArgs, ctx, info) as Promise<QueueConnection<Trademark>>,
    },
    {
      name: 'TrademarkQueueConnection',
      fields: (c) => ({ counts: c.field({ type: QueueCountsRef, resolve: (connection, _args, ctx) => countsOf(connection, ctx) }) }),
    },
    { name: 'TrademarkQueueEdge' },
  ),
);

builder.queryField('letterReviewQueue', (t) =>
  t.connection(
    {
      type: AuthorizationLetterRef,
      description: 'REVIEWER or ADMIN. Authorization letters to review, longest waiting first unless asked otherwise.',
      authScopes: mayReadQueues,
      args: {
        filter: t.arg({ type: LetterQueueFilter, required: false }),
        orderBy: t.arg({ type: ReviewQueueOrderEnum, required: false }),
      },
      resolve: (_root, args, ctx, info) =>
        resolveQueue('LETTER', 'AuthorizationLetter', args as QueueArgs, ctx, info) as Promise<QueueConnection<AuthorizationLetter>>,
    },
    {
      name: 'LetterQueueConnection',
      fields: (c) => ({ counts: c.field({ type: QueueCountsRef, resolve: (connection, _args, ctx) => countsOf(connection, ctx) }) }),
    },
    { name: 'LetterQueueEdge' },
  ),
);

builder.queryField('complaintReviewQueue', (t) =>
  t.connection(
    {
      type: ComplaintRef,
      description: 'REVIEWER or ADMIN. Complaints waiting for a reviewer, longest waiting first unless asked otherwise.',
      authScopes: mayReadQueues,
      args: {
        filter: t.arg({ type: ComplaintQueueFilter, required: false }),
        orderBy: t.arg({ type: ComplaintQueueOrderEnum, required: false }),
      },
      resolve: (_root, args, ctx, info) =>
        resolveQueue('COMPLAINT', 'Complaint', args as QueueArgs, ctx, info) as Promise<QueueConnection<Complaint>>,
    },
    {
      name: 'ComplaintQueueConnection',
      fields: (c) => ({
        counts: c.field({ type: ComplaintQueueCountsRef, resolve: (connection, _args, ctx) => countsOf(connection, ctx) }),
      }),
    },
    { name: 'ComplaintQueueEdge' },
  ),
);

const ClaimReviewInput = builder.inputType('ClaimReviewInput', { fields: (t) => ({ id: t.id() }) });

/** Claim and release share one shape per subject: parse the id, run the service, map the result. */
function claimField<Shape extends object>(
  name: string,
  description: string,
  payload: typeof TrademarkPayload | typeof AuthorizationLetterPayload,
  typename: string,
  run: (ctx: GraphQLContext, id: string) => Promise<Result<Shape>>,
) {
  builder.mutationField(name, (t) =>
    t.field({
      type: payload as typeof TrademarkPayload,
      description,
      authScopes: { role: 'REVIEWER' },
      args: { input: t.arg({ type: ClaimReviewInput }) },
      resolve: async (_root, { input }, ctx) => {
        const id = parseGlobalId(input.id, typename, ['input', 'id']);
        if (!id.ok) return failedPayload(id);
        return toPayload(await run(ctx, id.value)) as never;
      },
    }),
  );
}

claimField(
  'claimTrademarkReview',
  'REVIEWER. Takes a SUBMITTED trademark from the queue; refused while another reviewer holds it.',
  TrademarkPayload,
  'Trademark',
  (ctx, id) => claimTrademarkReview(ctx.deps, ctx.access, id),
);
claimField(
  'releaseTrademarkReview',
  'REVIEWER who claimed it. Puts the trademark back in the queue unassigned.',
  TrademarkPayload,
  'Trademark',
  (ctx, id) => releaseTrademarkReview(ctx.deps, ctx.access, id),
);
claimField(
  'claimLetterReview',
  'REVIEWER. Takes a SUBMITTED authorization letter from the queue; refused while another reviewer holds it.',
  AuthorizationLetterPayload,
  'AuthorizationLetter',
  (ctx, id) => claimLetterReview(ctx.deps, ctx.access, id),
);
claimField(
  'releaseLetterReview',
  'REVIEWER who claimed it. Puts the letter back in the queue unassigned.',
  AuthorizationLetterPayload,
  'AuthorizationLetter',
  (ctx, id) => releaseLetterReview(ctx.deps, ctx.access, id),
);
