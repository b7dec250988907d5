import type { Complaint, ComplaintInformationRequest, Prisma } from '@prisma/client';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { ForbiddenError } from '../errors.js';
import {
  fileComplaint,
  runComplaintCommand,
  type ComplaintAfterStep,
  type ComplaintRequest,
  type StepAnswer,
} from '../services/complaints.js';
import { deadlineShown, type DeadlineField } from '../../workflows/complaint-rules.js';
import { ActorRef, RoleEnum, actorView } from './actors.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { CouponRef, MoneyInput, WarningRef } from './compensation.js';
import type { GraphQLContext } from './context.js';
import { EvidenceRef } from './evidence.js';
import { parseGlobalId } from './global-ids.js';
import { asksOnly } from './payload-selection.js';
import { LIST_BOUNDS } from './list-bounds.js';
import { StoreRef } from './stores.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

export const ComplaintStatusEnum = builder.enumType('ComplaintStatus', {
  values: [
    'AWAITING_EVIDENCE',
    'AWAITING_MERCHANT_RESPONSE',
    'UNDER_REVIEW',
    'DECIDED',
    'APPEALED',
    'CLOSED',
    'WITHDRAWN',
    'EXPIRED',
  ] as const,
});
const VerdictEnum = builder.enumType('Verdict', { values: ['COUNTERFEIT', 'NOT_COUNTERFEIT', 'INSUFFICIENT_EVIDENCE'] as const });

/** A deadline is shown only while its step is the current one; which step that is, the complaint rules say. */
const deadlineIn = (complaint: Complaint, deadline: DeadlineField) =>
  deadlineShown(complaint.status) === deadline ? complaint[deadline] : null;

const ComplaintDeadlines = builder.objectRef<Complaint>('ComplaintDeadlines').implement({
  description: 'The deadline of the current step only.',
  fields: (t) => ({
    evidenceDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => deadlineIn(c, 'evidenceDueAt') }),
    merchantResponseDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => deadlineIn(c, 'merchantResponseDueAt') }),
    reviewDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => deadlineIn(c, 'reviewDueAt') }),
    appealDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => deadlineIn(c, 'appealDueAt') }),
    informationDueAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'While one side is asked for more information, review waits for its answer until then (and reviewDueAt is null).',
      resolve: (c) => (c.status === 'UNDER_REVIEW' || c.status === 'APPEALED' ? c.informationDueAt : null),
    }),
  }),
});

const ComplaintPartyEnum = builder.enumType('ComplaintParty', { values: ['CONSUMER', 'MERCHANT'] as const });

const InformationRequestType = builder.prismaObject('ComplaintInformationRequest', {
  name: 'InformationRequest',
  description: "A reviewer's request to one side for more information.",
  fields: (t) => ({
    side: t.field({ type: ComplaintPartyEnum, resolve: (r: ComplaintInformationRequest) => r.side as 'CONSUMER' | 'MERCHANT' }),
    note: t.exposeString('note'),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
    dueAt: t.expose('dueAt', { type: 'DateTime' }),
    open: t.boolean({
      description: 'Waiting for the answer: neither answered nor expired, and the complaint still under review.',
      select: { complaint: { select: { status: true } } },
      resolve: (r) =>
        r.answeredAt === null && r.expiredAt === null && (r.complaint.status === 'UNDER_REVIEW' || r.complaint.status === 'APPEALED'),
    }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    statement: t.exposeString('statement', { nullable: true, description: 'The answer in words, if the side gave one.' }),
    expiredAt: t.expose('expiredAt', { type: 'DateTime', nullable: true, description: 'Set when the deadline passed without an answer.' }),
  }),
});

const ComplaintEventType = builder.prismaObject('ComplaintEvent', {
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    type: t.exposeString('type'),
    actorRole: t.expose('actorRole', { type: RoleEnum, nullable: true }),
    message: t.exposeString('message'),
  }),
});

export const ComplaintRef = builder.prismaNode('Complaint', {
  id: { field: 'id' },
  authScopes: (complaint, ctx) => ctx.access.canSeeComplaint(complaint),
  fields: (t) => ({
    status: t.expose('status', { type: ComplaintStatusEnum }),
    store: t.relation('store', { type: StoreRef }),
    brand: t.relation('brand', { type: BrandRef, nullable: true }),
    orderReference: t.exposeString('orderReference'),
    description: t.exposeString('description'),
    evidence: t.relation('evidence', { type: EvidenceRef, query: { orderBy: { createdAt: 'asc' }, take: LIST_BOUNDS.complaintEvidence } }),
    merchantStatement: t.exposeString('merchantStatement', { nullable: true }),
    listingUrl: t.exposeString('listingUrl', { nullable: true, description: 'The listing the consumer bought from, if they gave one.' }),
    appealReason: t.exposeString('appealReason', { nullable: true, description: "The appellant's reason, once the decision is appealed." }),
    appealedByRole: t.expose('appealedByRole', { type: RoleEnum, nullable: true, description: 'The side that appealed.' }),
    informationRequests: t.relation('informationRequests', {
      type: InformationRequestType,
      description: "The reviewers' requests for more information, oldest first.",
      query: { orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }], take: LIST_BOUNDS.complaintInformationRequests },
    }),
    assignedReviewer: t.field({
      type: ActorRef,
      nullable: true,
      resolve: async (complaint, _args, ctx) => {
        if (!complaint.assignedReviewerId) return null;
        return actorView(await ctx.deps.db.actor.findUniqueOrThrow({ where: { id: complaint.assignedReviewerId } }));
      },
    }),
    escalated: t.exposeBoolean('escalated', { description: 'No decision came within the review deadline.' }),
    verdict: t.expose('verdict', { type: VerdictEnum, nullable: true }),
    decisionNote: t.exposeString('decisionNote', { nullable: true }),
    warning: t.relation('warning', { type: WarningRef, nullable: true }),
    coupon: t.field({
      type: CouponRef,
      nullable: true,
      description: 'Shown to the consumer and reviewers.',
      resolve: async (complaint, _args, ctx) =>
        ctx.access.seesEverything || complaint.consumerId === ctx.access.actor?.id
          ? ctx.deps.db.coupon.findUnique({ where: { complaintId: complaint.id } })
          : null,
    }),
    deadlines: t.field({ type: ComplaintDeadlines, resolve: (complaint) => complaint }),
    timeline: t.relation('events', {
      type: ComplaintEventType,
      query: { orderBy: [{ at: 'asc' }, { id: 'asc' }], take: LIST_BOUNDS.complaintTimeline },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ComplaintFilter = builder.inputType('ComplaintFilter', {
  fields: (t) => ({
    status: t.field({ type: [ComplaintStatusEnum], required: false }),
    storeId: t.id({ required: false }),
    brandId: t.id({ required: false }),
    assignedToMe: t.boolean({ required: false }),
  }),
});

function filterWhere(filter: typeof ComplaintFilter.$inferInput | null | undefined, ctx: GraphQLContext): Prisma.ComplaintWhereInput {
  if (!filter) return {};
  const id = (value: string | null | undefined, typename: string, name: string) => {
    if (!value) return undefined;
    const parsed = parseGlobalId(value, typename, ['filter', name]);
    if (!parsed.ok) throw new GraphQLError(parsed.errors[0]!.message, { extensions: { code: 'INVALID', field: ['filter', name] } });
    return parsed.value;
  };
  return {
    ...(filter.status?.length ? { status: { in: filter.status } } : {}),
    ...(filter.storeId ? { storeId: id(filter.storeId, 'Store', 'storeId') } : {}),
    ...(filter.brandId ? { brandId: id(filter.brandId, 'Brand', 'brandId') } : {}),
    ...(filter.assignedToMe ? { assignedReviewerId: ctx.access.actor?.id ?? '00000000-0000-0000-0000-000000000000' } : {}),
  };
}

builder.queryField('complaints', (t) =>
  t.prismaConnection(
    {
      type: ComplaintRef,
      cursor: 'id',
      description: "Reviewers see all; consumers their own; merchants their stores'; brands their brands'.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: ComplaintFilter, required: false }) },
      resolve: async (query, _root, { filter }, ctx) =>
        ctx.deps.db.complaint.findMany({
          ...query,
          where: { AND: [await ctx.access.complaintWhere(), filterWhere(filter, ctx)] },
          // Escalated complaints first in the reviewers' queue, then oldest first (ids are time-ordered).
          orderBy: [{ escalated: 'desc' }, { id: 'asc' }],
        }),
    },
    { name: 'ComplaintConnection' },
    { name: 'ComplaintEdge' },
  ),
);

// A step whose caller asks only for the complaint's id and status answers from
// the status the workflow gave, without reading the row again (see ComplaintAfterStep).
const ComplaintPayload = entityPayload<Complaint | ComplaintAfterStep>('ComplaintPayload', 'complaint', ComplaintRef);
const answerAsked = (info: GraphQLResolveInfo): StepAnswer => (asksOnly(info, 'complaint', ['id', 'status']) ? 'known' : 'row');

const FileComplaintInput = builder.inputType('FileComplaintInput', {
  fields: (t) => ({
    storeId: t.id(),
    brandId: t.id({ required: false }),
    orderReference: t.string(),
    description: t.string(),
    listingUrl: t.string({ required: false, description: 'The listing bought from: an http(s) address, at most 2048 characters.' }),
  }),
});
const ComplaintRefInput = builder.inputType('ComplaintRefInput', { fields: (t) => ({ complaintId: t.id() }) });
const RespondToComplaintInput = builder.inputType('RespondToComplaintInput', {
  fields: (t) => ({ complaintId: t.id(), statement: t.string() }),
});
const DecideComplaintInput = builder.inputType('DecideComplaintInput', {
  fields: (t) => ({
    complaintId: t.id(),
    verdict: t.field({ type: VerdictEnum }),
    note: t.string(),
    compensation: t.field({
      type: MoneyInput,
      required: false,
      description: 'Defaults to the policy amount when the verdict is COUNTERFEIT.',
    }),
  }),
});
const AppealInput = builder.inputType('AppealInput', { fields: (t) => ({ complaintId: t.id(), reason: t.string() }) });

builder.mutationField('fileComplaint', (t) =>
  t.field({
    type: ComplaintPayload,
    description: "CONSUMER. Starts the complaint's workflow.",
    authScopes: { role: 'CONSUMER' },
    args: { input: t.arg({ type: FileComplaintInput }) },
    resolve: async (_root, { input }, ctx, info) => {
      const storeId = parseGlobalId(input.storeId, 'Store', ['input', 'storeId']);
      if (!storeId.ok) return failedPayload(storeId);
      const brandId = input.brandId ? parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']) : null;
      if (brandId && !brandId.ok) return failedPayload(brandId);
      const filing = { ...input, storeId: storeId.value, brandId: brandId?.value ?? null };
      return toPayload(await fileComplaint(ctx.deps, ctx.access, filing, answerAsked(info)));
    },
  }),
);

/** The state-changing commands share one shape: parse the complaint id, send the Update, map the result. */
function commandField<Input extends { complaintId: string }>(
  name: string,
  description: string,
  input: ReturnType<typeof builder.inputType>,
  toCommand: (input: Input) => ComplaintRequest,
) {
  builder.mutationField(name, (t) =>
    t.field({
      type: ComplaintPayload,
      description,
      authScopes: { authenticated: true },
      args: { input: t.arg({ type: input, required: true }) },
      resolve: async (_root, args, ctx, info) => {
        const given = args.input as unknown as Input;
        const complaintId = parseGlobalId(given.complaintId, 'Complaint', ['input', 'complaintId']);
        if (!complaintId.ok) return failedPayload(complaintId);
        return toPayload(await runComplaintCommand(ctx.deps, ctx.access, complaintId.value, toCommand(given), answerAsked(info)));
      },
    }),
  );
}

commandField('submitComplaint', 'CONSUMER. Needs at least one photo; opens the merchant response window.', ComplaintRefInput, () => ({
  kind: 'submit',
}));
commandField<{ complaintId: string; statement: string }>(
  'respondToComplaint',
  'Store owner, during the response window.',
  RespondToComplaintInput,
  (i) => ({
    kind: 'respond',
    statement: i.statement.trim(),
  }),
);
commandField('withdrawComplaint', 'CONSUMER, before a decision.', ComplaintRefInput, () => ({ kind: 'withdraw' }));
commandField('claimComplaint', 'REVIEWER. Assigns the complaint to the caller.', ComplaintRefInput, () => ({ kind: 'claim' }));
commandField<{
  complaintId: string;
  verdict: 'COUNTERFEIT' | 'NOT_COUNTERFEIT' | 'INSUFFICIENT_EVIDENCE';
  note: string;
  compensation?: { amount: string; currency: string } | null;
}>(
  'decideComplaint',
  'REVIEWER who claimed it. COUNTERFEIT warns the store and compensates the consumer with a coupon, exactly once.',
  DecideComplaintInput,
  (i) => ({ kind: 'decide', verdict: i.verdict, note: i.note.trim(), compensation: i.compensation ?? null }),
);
commandField<{ complaintId: string; reason: string }>(
  'appealDecision',
  'The losing party, within the appeal window; a different reviewer decides again.',
  AppealInput,
  (i) => ({
    kind: 'appeal',
    reason: i.reason.trim(),
  }),
);

const RequestComplaintInformationInput = builder.inputType('RequestComplaintInformationInput', {
  fields: (t) => ({
    complaintId: t.id(),
    side: t.field({ type: ComplaintPartyEnum, description: 'The one side asked.' }),
    note: t.string({ description: 'What is needed, shown to the side asked.' }),
    dueAt: t.field({
      type: 'DateTime',
      required: false,
      description: 'When review goes on without the answer; defaults to the policy window (3 days).',
    }),
  }),
});
const AnswerInformationRequestInput = builder.inputType('AnswerInformationRequestInput', {
  fields: (t) => ({
    complaintId: t.id(),
    statement: t.string({ required: false, description: 'Optional when photos were added (addEvidence) since the request.' }),
  }),
});

commandField<{ complaintId: string; side: 'CONSUMER' | 'MERCHANT'; note: string; dueAt?: Date | null }>(
  'requestComplaintInformation',
  'REVIEWER who claimed it. Asks one side for more information by a deadline: that side may add photos and answer, and review waits until then.',
  RequestComplaintInformationInput,
  (i) => ({ kind: 'requestInformation', side: i.side, note: i.note, dueAt: i.dueAt ?? null }),
);
commandField<{ complaintId: string; statement?: string | null }>(
  'answerInformationRequest',
  'The side asked, before the deadline: a statement, or photos added since the request, or both. The complaint returns to review.',
  AnswerInformationRequestInput,
  (i) => ({ kind: 'answerInformation', statement: i.statement ?? null }),
);

builder.subscriptionField('complaintUpdated', (t) =>
  t.field({
    type: ComplaintRef,
    description: 'Every change of the complaint, for those who may see it.',
    args: { id: t.arg.id() },
    subscribe: async (_root, { id }, ctx) => {
      const complaintId = parseGlobalId(id, 'Complaint', ['id']);
      if (!complaintId.ok) throw new GraphQLError(complaintId.errors[0]!.message, { extensions: { code: 'INVALID' } });
      const complaint = await ctx.deps.db.complaint.findUnique({ where: { id: complaintId.value } });
      if (!complaint || !(await ctx.access.canSeeComplaint(complaint))) throw new ForbiddenError('You may not follow this complaint.');
      return ctx.events.subscribe('complaintUpdated', complaintId.value);
    },
    resolve: (event, _args, ctx) => ctx.deps.db.complaint.findUniqueOrThrow({ where: { id: event.complaintId } }),
  }),
);
