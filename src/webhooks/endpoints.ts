import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { enqueue } from '../outbox/enqueue.js';
import { recordAudit } from '../services/audit.js';
import { addProblem, parseInput, text } from '../services/input-validation.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { endpointUrlProblem } from './address-check.js';
import { urlRules } from './deliveries.js';
import { STORE_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from './event-types.js';
import { ForbiddenDestination, resolveAllowed } from './safe-lookup.js';
import { generateWebhookSecret } from './signing.js';

// Brands and stores register their own endpoints: a brand's members manage the
// brand's, a store's owner the store's. Secrets are returned once, when made.

export type EndpointOwner = { brandId: string; storeId?: null } | { storeId: string; brandId?: null };

export const NOT_ENDPOINT_MANAGER = "Only the brand's owners and managers or the store's owner manage its webhook endpoints.";

const field = (name: string) => ['input', name];
const DESCRIPTION_RULE = { label: 'A description', min: 0, max: 500 };

/** Whether the caller manages endpoints of this brand or store; in memory once membership is loaded. */
export async function managesEndpointsOf(access: Access, owner: { brandId: string | null; storeId: string | null }): Promise<boolean> {
  if (!access.actor) return false;
  if (owner.brandId) return (await access.brandIdsAllowedTo('webhooks.manage')).has(owner.brandId);
  if (owner.storeId) return (await access.ownedStoreIds()).has(owner.storeId);
  return false;
}

async function requireManager(access: Access, owner: { brandId: string | null; storeId: string | null }): Promise<void> {
  access.requireActor();
  if (!(await managesEndpointsOf(access, owner))) throw new ForbiddenError(NOT_ENDPOINT_MANAGER);
}

/** An endpoint the caller manages. An unknown id is FORBIDDEN like another owner's, so ids stay secret. */
async function loadManagedEndpoint(deps: ServiceDeps, access: Access, id: string): Promise<WebhookEndpoint> {
  access.requireActor();
  const endpoint = await deps.db.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw new ForbiddenError(NOT_ENDPOINT_MANAGER);
  await requireManager(access, endpoint);
  return endpoint;
}

const eventTypesSchema = (isStore: boolean) =>
  z
    .array(z.enum(WEBHOOK_EVENT_TYPES as [WebhookEventType, ...WebhookEventType[]]))
    .min(1, 'Pick at least one event type.')
    .max(WEBHOOK_EVENT_TYPES.length)
    .transform((types, ctx) => {
      const unique = [...new Set(types)];
      const notForStores = unique.filter((type) => !STORE_EVENT_TYPES.has(type));
      if (isStore && notForStores.length > 0) addProblem(ctx, 'INVALID', `A store's endpoint can't receive ${notForStores.join(', ')}.`);
      return unique;
    });

/** Checks the URL's text, then resolves its host and checks every address it has now. */
async function urlProblem(deps: ServiceDeps, url: string): Promise<string | null> {
  const rules = urlRules(deps.config);
  const problem = endpointUrlProblem(url, rules);
  if (problem) return problem;
  try {
    await resolveAllowed(new URL(url).hostname, rules);
    return null;
  } catch (error) {
    if (error instanceof ForbiddenDestination) return error.message;
    return 'The host of this URL does not resolve.';
  }
}

export interface CreateEndpointInput {
  brandId?: string | null;
  storeId?: string | null;
  url: string;
  eventTypes: WebhookEventType[];
  description?: string | null;
}

export async function createWebhookEndpoint(
  deps: ServiceDeps,
  access: Access,
  input: CreateEndpointInput,
): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> {
  const actor = access.requireActor();
  if (!input.brandId === !input.storeId) return fail('INVALID', 'Name either a brand or a store.', field('brandId'));
  const owner = { brandId: input.brandId ?? null, storeId: input.storeId ?? null };
  await requireManager(access, owner);
  const schema = z.object({
    url: z.string(),
    eventTypes: eventTypesSchema(owner.storeId !== null),
    description: text(DESCRIPTION_RULE),
  });
  const parsed = parseInput(schema, input);
  if (!parsed.ok) return parsed;
  const problem = await urlProblem(deps, parsed.value.url);
  if (problem) return fail('INVALID', problem, field('url'));
  const count = await deps.db.webhookEndpoint.count({ where: owner.brandId ? { brandId: owner.brandId } : { storeId: owner.storeId } });
  const max = deps.config.WEBHOOK_ENDPOINTS_MAX_PER_OWNER;
  if (count >= max) return fail('LIMIT_EXCEEDED', `At most ${max} webhook endpoints each; delete one first.`, field('url'));
  const secret = generateWebhookSecret();
  const endpoint = await deps.db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        ...owner,
        url: parsed.value.url,
        eventTypes: parsed.value.eventTypes,
        description: parsed.value.description,
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        createdById: actor.id,
        secrets: { create: { secret } },
      },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'webhook_endpoint.created',
      entityType: 'WebhookEndpoint',
      entityId: created.id,
      data: { url: created.url, eventTypes: created.eventTypes },
    });
    return created;
  });
  return ok({ endpoint, secret });
}

export interface UpdateEndpointInput {
  id: string;
  eventTypes?: WebhookEventType[] | null;
  enabled?: boolean | null;
  description?: string | null;
}

export async function updateWebhookEndpoint(
  deps: ServiceDeps,
  access: Access,
  input: UpdateEndpointInput,
): Promise<Result<WebhookEndpoint>> {
  const endpoint = await loadManagedEndpoint(deps, access, input.id);
  const schema = z.object({
    eventTypes: eventTypesSchema(endpoint.storeId !== null).nullish(),
    enabled: z.boolean().nullish(),
    description: text(DESCRIPTION_RULE),
  });
  const parsed = parseInput(schema, input);
  if (!parsed.ok) return parsed;
  const { eventTypes, enabled } = parsed.value;
  const updated = await deps.db.$transaction(async (tx) => {
    const changed = await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: {
        ...(eventTypes ? { eventTypes } : {}),
        ...(typeof enabled === 'boolean' ? { enabled } : {}),
        ...(input.description !== undefined ? { description: parsed.value.description } : {}),
      },
    });
    await recordAudit(tx, {
      actorId: access.requireActor().id,
      action: 'webhook_endpoint.updated',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      data: { eventTypes: changed.eventTypes, enabled: changed.enabled },
    });
    return changed;
  });
  return ok(updated);
}

/**
 * A new secret signs from now on; the one it replaces keeps signing beside it
 * for the overlap, so receivers can change theirs without a failed delivery.
 */
export async function rotateWebhookSecret(
  deps: ServiceDeps,
  access: Access,
  input: { id: string },
): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> {
  const endpoint = await loadManagedEndpoint(deps, access, input.id);
  const now = deps.clock();
  const retiresAt = new Date(now.getTime() + deps.config.WEBHOOK_SECRET_OVERLAP_SECONDS * 1000);
  const secret = generateWebhookSecret();
  await deps.db.$transaction(async (tx) => {
    await tx.webhookSecret.deleteMany({ where: { endpointId: endpoint.id, retiresAt: { lte: now } } });
    await tx.webhookSecret.updateMany({ where: { endpointId: endpoint.id, retiresAt: null }, data: { retiresAt } });
    await tx.webhookSecret.create({ data: { endpointId: endpoint.id, secret, createdAt: now } });
    await recordAudit(tx, {
      actorId: access.requireActor().id,
      action: 'webhook_endpoint.secret_rotated',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      data: { previousSecretRetiresAt: retiresAt.toISOString() },
      at: now,
    });
  });
  return ok({ endpoint, secret });
}

export async function deleteWebhookEndpoint(deps: ServiceDeps, access: Access, input: { id: string }): Promise<Result<string>> {
  const endpoint = await loadManagedEndpoint(deps, access, input.id);
  await deps.db.$transaction(async (tx) => {
    // Running deliveries find their row gone and stop.
    await tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await recordAudit(tx, {
      actorId: access.requireActor().id,
      action: 'webhook_endpoint.deleted',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      data: { url: endpoint.url },
    });
  });
  return ok(endpoint.id);
}

/**
 * Sends the delivery again: a new series of attempts with the same body and
 * webhook-id, so a receiver that dedupes applies it once. A series still
 * retrying stops at its next attempt.
 */
export async function replayWebhookDelivery(deps: ServiceDeps, access: Access, input: { id: string }): Promise<Result<WebhookDelivery>> {
  access.requireActor();
  const delivery = await deps.db.webhookDelivery.findUnique({ where: { id: input.id }, include: { endpoint: true } });
  if (!delivery) throw new ForbiddenError(NOT_ENDPOINT_MANAGER);
  await requireManager(access, delivery.endpoint);
  if (!delivery.endpoint.enabled) return fail('NOT_ALLOWED_IN_STATE', 'The endpoint is disabled; enable it first.', field('id'));
  const replayed = await deps.db.$transaction(async (tx) => {
    const next = await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: { series: { increment: 1 }, status: 'PENDING' },
    });
    await enqueue(tx, delivery.endpoint.taskQueue, [{ kind: 'webhookDelivery', deliveryId: delivery.id, series: next.series }]);
    await recordAudit(tx, {
      actorId: access.requireActor().id,
      action: 'webhook_delivery.replayed',
      entityType: 'WebhookDelivery',
      entityId: delivery.id,
      data: { series: next.series },
    });
    return next;
  });
  return ok(replayed);
}
