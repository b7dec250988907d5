import type { WebhookDelivery, WebhookEndpoint } from '@prisma/client';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { ForbiddenError } from '../errors.js';
import {
  NOT_ENDPOINT_MANAGER,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  managesEndpointsOf,
  replayWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '../webhooks/endpoints.js';
import { WEBHOOK_EVENT_NAMES, WEBHOOK_EVENT_TYPES } from '../webhooks/event-types.js';
import { BrandRef } from './brands.js';
import { builder } from './builder.js';
import { parseGlobalId } from './global-ids.js';
import { StoreRef } from './stores.js';
import { UserErrorType, entityPayload, failedPayload, toPayload, type Payload } from './user-errors.js';

export const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  values: Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [type, { value: type, description: `Sent with \`"type": "${WEBHOOK_EVENT_NAMES[type]}"\`.` }]),
  ) as Record<(typeof WEBHOOK_EVENT_TYPES)[number], { value: (typeof WEBHOOK_EVENT_TYPES)[number]; description: string }>,
});

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Being sent, or waiting for its next attempt.' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'No 2xx answer within the retry window; replay it once the endpoint works.' },
    CANCELLED: { description: 'The endpoint was disabled before it answered 2xx.' },
  } as const,
});

const WebhookEventRef = builder.prismaObject('WebhookEvent', {
  description: 'Something that happened to a brand or a store; the same event reaches webhooks and brandEvents subscribers.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Also the `webhook-id` header of every delivery of it: receivers dedupe by it.' }),
    type: t.expose('type', { type: WebhookEventTypeEnum }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    payload: t.exposeString('body', {
      description: 'The JSON body webhooks receive: `{"type", "timestamp", "data"}`; ids in `data` are global ids.',
    }),
  }),
});

builder.prismaObject('WebhookAttempt', {
  fields: (t) => ({
    replay: t.exposeInt('series', { description: '0 for the first series of attempts, 1 for the first replay, and so on.' }),
    number: t.exposeInt('number', { description: 'The attempt within its series, from 1.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'Null when no HTTP answer came (timeout, refused, unreachable).',
    }),
    error: t.exposeString('error', { nullable: true }),
    succeeded: t.exposeBoolean('succeeded'),
  }),
});

const WebhookDeliveryRef = builder.prismaObject('WebhookDelivery', {
  description: "One event sent to one endpoint. Reached through its endpoint, by the endpoint's managers only.",
  fields: (t) => ({
    id: t.id({ resolve: (delivery) => encodeGlobalID('WebhookDelivery', delivery.id) }),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    replays: t.exposeInt('series', { description: 'How often it was replayed.' }),
    event: t.relation('event', { type: WebhookEventRef }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    attempts: t.relatedConnection(
      'attempts',
      { cursor: 'id', query: { orderBy: { id: 'asc' } }, description: 'Every attempt, oldest first.' },
      { name: 'WebhookAttemptConnection' },
      { name: 'WebhookAttemptEdge' },
    ),
  }),
});

export const WebhookEndpointRef = builder.prismaNode('WebhookEndpoint', {
  id: { field: 'id' },
  description: 'An HTTPS endpoint of a brand or a store. Its signing secret is shown once, when created or rotated.',
  authScopes: async (endpoint, ctx) => managesEndpointsOf(ctx.access, endpoint),
  fields: (t) => ({
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.expose('eventTypes', { type: [WebhookEventTypeEnum] }),
    enabled: t.exposeBoolean('enabled'),
    brand: t.relation('brand', { type: BrandRef, nullable: true }),
    store: t.relation('store', { type: StoreRef, nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection(
      'deliveries',
      { cursor: 'id', query: { orderBy: { id: 'desc' } }, description: 'Newest first.' },
      { name: 'WebhookDeliveryConnection' },
      { name: 'WebhookDeliveryEdge' },
    ),
  }),
});

const ownerArgs = (args: { brandId?: string | null; storeId?: string | null }) => {
  if (!args.brandId === !args.storeId) throw new GraphQLError('Name either brandId or storeId.', { extensions: { code: 'INVALID' } });
  const parsed = args.brandId ? parseGlobalId(args.brandId, 'Brand', ['brandId']) : parseGlobalId(args.storeId!, 'Store', ['storeId']);
  if (!parsed.ok) throw new GraphQLError(parsed.errors[0]!.message, { extensions: { code: 'INVALID' } });
  return args.brandId ? { brandId: parsed.value, storeId: null } : { brandId: null, storeId: parsed.value };
};

builder.queryField('webhookEndpoints', (t) =>
  t.prismaConnection(
    {
      type: WebhookEndpointRef,
      cursor: 'id',
      description: "The brand's endpoints (its members) or the store's (its owner); name one of them.",
      authScopes: { authenticated: true },
      args: { brandId: t.arg.id({ required: false }), storeId: t.arg.id({ required: false }) },
      resolve: async (query, _root, args, ctx) => {
        const owner = ownerArgs(args);
        if (!(await managesEndpointsOf(ctx.access, owner))) throw new ForbiddenError(NOT_ENDPOINT_MANAGER);
        return ctx.deps.db.webhookEndpoint.findMany({
          ...query,
          where: owner.brandId ? { brandId: owner.brandId } : { storeId: owner.storeId },
          orderBy: { id: 'asc' },
        });
      },
    },
    { name: 'WebhookEndpointConnection' },
    { name: 'WebhookEndpointEdge' },
  ),
);

const EndpointWithSecretPayload = (name: string, secretDescription: string) =>
  builder.objectRef<Payload<{ endpoint: WebhookEndpoint; secret: string }>>(name).implement({
    fields: (t) => ({
      endpoint: t.field({ type: WebhookEndpointRef, nullable: true, resolve: (p) => p.value?.endpoint ?? null }),
      secret: t.string({ nullable: true, description: secretDescription, resolve: (p) => p.value?.secret ?? null }),
      userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
    }),
  });

const CreateWebhookEndpointPayload = EndpointWithSecretPayload(
  'CreateWebhookEndpointPayload',
  'The signing secret (`whsec_…`), shown only now: keep it to verify deliveries.',
);
const RotateWebhookSecretPayload = EndpointWithSecretPayload(
  'RotateWebhookSecretPayload',
  'The new signing secret, shown only now. The previous one keeps signing beside it for the overlap period.',
);
const WebhookEndpointPayload = entityPayload<WebhookEndpoint>('WebhookEndpointPayload', 'endpoint', WebhookEndpointRef);
const WebhookDeliveryPayload = entityPayload<WebhookDelivery>('WebhookDeliveryPayload', 'delivery', WebhookDeliveryRef);
const DeleteWebhookEndpointPayload = builder.objectRef<Payload<string>>('DeleteWebhookEndpointPayload').implement({
  fields: (t) => ({
    deletedEndpointId: t.id({ nullable: true, resolve: (p) => (p.value ? encodeGlobalID('WebhookEndpoint', p.value) : null) }),
    userErrors: t.field({ type: [UserErrorType], resolve: (p) => p.userErrors }),
  }),
});

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    brandId: t.id({ required: false, description: "For a brand's endpoint; its members manage it." }),
    storeId: t.id({
      required: false,
      description: "For a store's endpoint; its owner manages it. Stores receive complaint and badge events.",
    }),
    url: t.string({ description: 'https; in production it must resolve to public addresses only.' }),
    eventTypes: t.field({ type: [WebhookEventTypeEnum] }),
    description: t.string({ required: false }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.id(),
    eventTypes: t.field({ type: [WebhookEventTypeEnum], required: false }),
    enabled: t.boolean({ required: false, description: 'A disabled endpoint receives nothing; its pending deliveries are cancelled.' }),
    description: t.string({ required: false }),
  }),
});

const EndpointIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id() }) });
const RotateWebhookSecretInput = EndpointIdInput('RotateWebhookSecretInput');
const DeleteWebhookEndpointInput = EndpointIdInput('DeleteWebhookEndpointInput');
const ReplayWebhookDeliveryInput = EndpointIdInput('ReplayWebhookDeliveryInput');

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: CreateWebhookEndpointPayload,
    description: "The brand's members or the store's owner. Returns the signing secret once.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: CreateWebhookEndpointInput }) },
    resolve: async (_root, { input }, ctx) => {
      const brandId = input.brandId ? parseGlobalId(input.brandId, 'Brand', ['input', 'brandId']) : null;
      if (brandId && !brandId.ok) return failedPayload(brandId);
      const storeId = input.storeId ? parseGlobalId(input.storeId, 'Store', ['input', 'storeId']) : null;
      if (storeId && !storeId.ok) return failedPayload(storeId);
      return toPayload(
        await createWebhookEndpoint(ctx.deps, ctx.access, {
          ...input,
          brandId: brandId?.ok ? brandId.value : null,
          storeId: storeId?.ok ? storeId.value : null,
        }),
      );
    },
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointPayload,
    description: "The endpoint's managers: its event types, whether it is enabled, its description.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: UpdateWebhookEndpointInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'WebhookEndpoint', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await updateWebhookEndpoint(ctx.deps, ctx.access, { ...input, id: id.value }));
    },
  }),
  rotateWebhookSecret: t.field({
    type: RotateWebhookSecretPayload,
    description: "The endpoint's managers. Returns the new secret once; both sign during the overlap.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RotateWebhookSecretInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'WebhookEndpoint', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await rotateWebhookSecret(ctx.deps, ctx.access, { id: id.value }));
    },
  }),
  deleteWebhookEndpoint: t.field({
    type: DeleteWebhookEndpointPayload,
    description: "The endpoint's managers. Its deliveries and their attempts go with it.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: DeleteWebhookEndpointInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'WebhookEndpoint', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await deleteWebhookEndpoint(ctx.deps, ctx.access, { id: id.value }));
    },
  }),
  replayWebhookDelivery: t.field({
    type: WebhookDeliveryPayload,
    description: "The endpoint's managers. Sends the same body with the same webhook-id again, as a new series of attempts.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: ReplayWebhookDeliveryInput }) },
    resolve: async (_root, { input }, ctx) => {
      const id = parseGlobalId(input.id, 'WebhookDelivery', ['input', 'id']);
      if (!id.ok) return failedPayload(id);
      return toPayload(await replayWebhookDelivery(ctx.deps, ctx.access, { id: id.value }));
    },
  }),
}));

builder.subscriptionField('brandEvents', (t) =>
  t.field({
    type: WebhookEventRef,
    description: "The brand's members: every event of the brand as it happens, the same events its webhooks receive.",
    args: { brandId: t.arg.id() },
    subscribe: async (_root, { brandId }, ctx) => {
      const id = parseGlobalId(brandId, 'Brand', ['brandId']);
      if (!id.ok) throw new GraphQLError(id.errors[0]!.message, { extensions: { code: 'INVALID' } });
      await ctx.access.requireBrandMember(id.value, 'complaints.view');
      return ctx.events.subscribe('brandEvents', id.value);
    },
    resolve: (event, _args, ctx) => ctx.deps.db.webhookEvent.findUniqueOrThrow({ where: { id: event.eventId } }),
  }),
);
