import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startWebhookDelivery } from '../../src/outbox/deliver.js';
import { webhookDeliveryWorkflowId } from '../../src/outbox/messages.js';
import { publishProductCodeCloneAlert } from '../../src/webhooks/event-sources.js';
import { registerBrand } from '../support/brand-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { REQUEST_OFFICIAL_BADGE, actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';
import { CREATE_ENDPOINT, DELETE_ENDPOINT } from '../support/webhook-operations.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

// The delivery workflow on the real Temporal dev server, with a retry window of seconds.
const WINDOW_SECONDS = 4;

let stack: Stack;
let receiver: Receiver;
let owner: Actor;
let brand: { id: string };

beforeAll(async () => {
  stack = await startStack({
    worker: true,
    config: {
      WEBHOOK_TIMEOUT_SECONDS: '1',
      WEBHOOK_RETRY_INITIAL_SECONDS: '1',
      WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: '2',
      WEBHOOK_RETRY_WINDOW_SECONDS: String(WINDOW_SECONDS),
      BADGE_RENEWAL_REMINDER_SECONDS: '6',
    },
  });
  receiver = await startReceiver();
  owner = await actor(stack, 'brand-owner', ['BRAND']);
  brand = await registerBrand(stack, owner.token, unique('clones'));
});

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

async function cloneAlertEndpoint(plan: Array<'ok' | 'fail'>) {
  const route = receiver.route(plan);
  const res = await stack.gql(
    CREATE_ENDPOINT,
    { input: { brandId: brand.id, url: route.url, eventTypes: ['PRODUCT_CODE_CLONE_ALERT'] } },
    { token: owner.token },
  );
  const { endpoint, secret } = res.body.data.createWebhookEndpoint;
  return { route, id: rowId(endpoint.id), globalId: endpoint.id as string, secret: secret as string };
}

/** What the product-code checks do when a code looks cloned: publish in their own transaction. */
async function raiseCloneAlert(productCodeId: string) {
  await stack.db.$transaction((tx) =>
    publishProductCodeCloneAlert(tx, {
      brandId: rowId(brand.id),
      productCodeId,
      reason: 'checked from 3 countries within an hour',
      details: { countries: ['DE', 'FR', 'US'] },
    }),
  );
}

const deliveryOf = (endpointId: string) =>
  vi.waitFor(
    async () => {
      const delivery = await stack.db.webhookDelivery.findFirst({
        where: { endpointId },
        include: { attempts: { orderBy: { id: 'asc' } } },
      });
      expect(delivery).not.toBeNull();
      return delivery!;
    },
    { timeout: 10_000, interval: 100 },
  );

/** The delivery workflow's result, once the outbox relay has started it. */
async function deliveryResult(deliveryId: string) {
  const handle = stack.runtime.temporal.client.workflow.getHandle(webhookDeliveryWorkflowId(deliveryId, 0));
  await vi.waitFor(() => handle.describe(), { timeout: 10_000, interval: 100 });
  return handle.result();
}

it('gives up after the retry window, with the last attempt at its end', async () => {
  const endpoint = await cloneAlertEndpoint(Array(50).fill('fail'));
  const productCodeId = crypto.randomUUID();
  await raiseCloneAlert(productCodeId);
  const { id } = await deliveryOf(endpoint.id);
  expect(await deliveryResult(id)).toBe('failed');

  const delivery = await stack.db.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { attempts: { orderBy: { id: 'asc' } } } });
  expect(delivery.status).toBe('FAILED');
  expect(delivery.attempts.length).toBeGreaterThanOrEqual(3);
  expect(delivery.attempts.every((a) => a.statusCode === 500 && !a.succeeded)).toBe(true);
  // The window runs from the start of the series, which comes after the delivery was written.
  const span = delivery.attempts.at(-1)!.startedAt.getTime() - delivery.createdAt.getTime();
  expect(span).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000);
  expect(endpoint.route.requests).toHaveLength(delivery.attempts.length);

  const body = new Webhook(endpoint.secret).verify(
    endpoint.route.requests[0]!.body,
    endpoint.route.requests[0]!.headers as Record<string, string>,
  );
  expect(body).toMatchObject({
    type: 'product_code.clone_alert',
    data: { brandId: brand.id, reason: 'checked from 3 countries within an hour', details: { countries: ['DE', 'FR', 'US'] } },
  });
});

it('starts a delivery once however often its outbox message is delivered', async () => {
  const endpoint = await cloneAlertEndpoint([]);
  await raiseCloneAlert(crypto.randomUUID());
  const { id } = await deliveryOf(endpoint.id);
  expect(await deliveryResult(id)).toBe('delivered');
  const handle = stack.runtime.temporal.client.workflow.getHandle(webhookDeliveryWorkflowId(id, 0));
  const { runId } = await handle.describe();

  await startWebhookDelivery(stack.runtime.temporal.client, stack.taskQueue, id, 0);
  expect((await handle.describe()).runId).toBe(runId);
  const delivery = await stack.db.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { attempts: true } });
  expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: [expect.objectContaining({ number: 1, succeeded: true })] });
  expect(endpoint.route.requests).toHaveLength(1);
});

it('stops retrying once the endpoint is deleted', async () => {
  const endpoint = await cloneAlertEndpoint(Array(50).fill('fail'));
  await raiseCloneAlert(crypto.randomUUID());
  const { id } = await deliveryOf(endpoint.id);
  await vi.waitFor(() => expect(endpoint.route.requests.length).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
  await stack.gql(DELETE_ENDPOINT, { input: { id: endpoint.globalId } }, { token: owner.token });
  expect(await deliveryResult(id)).toBe('stopped');
  expect(await stack.db.webhookDelivery.findUnique({ where: { id } })).toBeNull();
});

it("announces a badge about to expire to the store's endpoint, from the badge's own timer", async () => {
  const merchant = await actor(stack, 'official', ['BRAND', 'MERCHANT']);
  const reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  const ownBrand = await verifiedBrand(stack, merchant, reviewer, new Date(Date.now() + 12_000));
  const store = await createStore(stack, merchant);
  const route = receiver.route();
  const created = await stack.gql(
    CREATE_ENDPOINT,
    { input: { storeId: store.id, url: route.url, eventTypes: ['BADGE_EXPIRING'] } },
    { token: merchant.token },
  );
  const { secret } = created.body.data.createWebhookEndpoint;
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: ownBrand.id } }, { token: merchant.token });
  const badge = res.body.data.requestOfficialBadge.badge as { id: string; expiresAt: string };
  await vi.waitFor(() => expect(route.requests).toHaveLength(1), { timeout: 20_000, interval: 200 });
  const body = new Webhook(secret).verify(route.requests[0]!.body, route.requests[0]!.headers as Record<string, string>);
  expect(body).toMatchObject({ type: 'badge.expiring', data: { badgeId: badge.id, storeId: store.id, expiresAt: badge.expiresAt } });
});
