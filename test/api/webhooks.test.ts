import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBrand } from '../support/brand-operations.js';
import { JOURNEY_ACTIONS, takeActions } from '../support/complaint-journey.js';
import { addPhoto, fileComplaint, photo } from '../support/complaint-operations.js';
import { complaintWorkflowId } from '../../workflows/complaint.workflow.js';
import { letterInput, submitLetter } from '../support/authorization-chain.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { REQUEST_OFFICIAL_BADGE, REVOKE_BADGE, actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';
import { startReceiver, type Answer, type Receiver, type Route } from '../support/webhook-receiver.js';
import {
  BRAND_EVENTS,
  CREATE_ENDPOINT,
  DELETE_ENDPOINT,
  ENDPOINT_DELIVERIES,
  LIST_ENDPOINTS,
  REPLAY_DELIVERY,
  ROTATE_SECRET,
  UPDATE_ENDPOINT,
} from '../support/webhook-operations.js';
import { SETTLES } from '../support/settle.js';

// A real receiver on loopback (tests run outside production, where local
// destinations are allowed); retries wait a second, a request times out after one.

let stack: Stack;
let receiver: Receiver;
let brandOwner: Actor;
let merchant: Actor;
let stranger: Actor;
let brand: { id: string };
let store: { id: string };

beforeAll(async () => {
  stack = await startStack({
    worker: true,
    config: {
      WEBHOOK_TIMEOUT_SECONDS: '1',
      WEBHOOK_RETRY_INITIAL_SECONDS: '1',
      WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: '1',
      WEBHOOK_RETRY_WINDOW_SECONDS: '60',
    },
  });
  receiver = await startReceiver();
  [brandOwner, merchant, stranger] = await Promise.all([
    actor(stack, 'brand-owner', ['BRAND']),
    actor(stack, 'merchant', ['MERCHANT']),
    actor(stack, 'stranger', ['BRAND', 'MERCHANT']),
  ]);
  brand = await registerBrand(stack, brandOwner.token, unique('hooks'));
  store = await createStore(stack, merchant);
});

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

async function createEndpoint(who: Actor, owner: { brandId?: string; storeId?: string }, url: string, eventTypes: string[]) {
  const res = await stack.gql(CREATE_ENDPOINT, { input: { ...owner, url, eventTypes } }, { token: who.token });
  const payload = res.body.data?.createWebhookEndpoint;
  if (!payload?.endpoint) throw new Error(`createWebhookEndpoint failed: ${JSON.stringify(res.body)}`);
  return { id: payload.endpoint.id as string, secret: payload.secret as string };
}

/** A brand endpoint for letters awaiting confirmation, with its own route on the receiver. */
async function letterEndpoint(plan: Answer[] = []) {
  const route = receiver.route(plan);
  const endpoint = await createEndpoint(brandOwner, { brandId: brand.id }, route.url, ['LETTER_AWAITING_CONFIRMATION']);
  return { route, ...endpoint };
}

async function submitLetterToBrand() {
  const res = await submitLetter(stack, merchant, letterInput(store.id, brand.id));
  const letter = res.body.data?.submitAuthorizationLetter.letter;
  if (!letter) throw new Error(`submitAuthorizationLetter failed: ${JSON.stringify(res.body)}`);
  return letter as { id: string };
}

async function deliveries(endpointId: string, token = brandOwner.token) {
  const res = await stack.gql(ENDPOINT_DELIVERIES, { id: endpointId }, { token });
  expect(res.body.errors).toBeUndefined();
  return (res.body.data.node.deliveries.edges as Array<{ node: any }>).map((e) => ({
    ...e.node,
    attempts: (e.node.attempts.edges as Array<{ node: any }>).map((a) => a.node),
  }));
}

const waitForRequests = (route: Route, count: number, timeout = 20_000) =>
  vi.waitFor(() => expect(route.requests.length).toBeGreaterThanOrEqual(count), { timeout, interval: 100 });

const errorCode = (res: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => res.body.errors?.[0]?.extensions?.code;

describe('managing endpoints', () => {
  it("the brand's members manage its endpoints; nobody else may", async () => {
    const route = receiver.route();
    const input = { brandId: brand.id, url: route.url, eventTypes: ['COMPLAINT_FILED'] };
    expect(errorCode(await stack.gql(CREATE_ENDPOINT, { input }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await stack.gql(CREATE_ENDPOINT, { input }, { token: stranger.token }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(CREATE_ENDPOINT, { input }, { token: merchant.token }))).toBe('FORBIDDEN');

    const created = await stack.gql(CREATE_ENDPOINT, { input }, { token: brandOwner.token });
    const { endpoint, secret, userErrors } = created.body.data.createWebhookEndpoint;
    expect(userErrors).toEqual([]);
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({
      url: route.url,
      eventTypes: ['COMPLAINT_FILED'],
      enabled: true,
      brand: { id: brand.id },
      store: null,
    });

    // The secret is never read back.
    const secretQuery = await stack.gql(
      `query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { secret } } }`,
      { id: endpoint.id },
      { token: brandOwner.token },
    );
    expect(secretQuery.body.errors?.[0]?.message).toMatch(/Cannot query field "secret"/);

    const listed = await stack.gql(LIST_ENDPOINTS, { brandId: brand.id }, { token: brandOwner.token });
    expect(listed.body.data.webhookEndpoints.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(endpoint.id);
    expect(errorCode(await stack.gql(LIST_ENDPOINTS, { brandId: brand.id }, { token: stranger.token }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(ENDPOINT_DELIVERIES, { id: endpoint.id }, { token: stranger.token }))).toBe('FORBIDDEN');

    const byId = { input: { id: endpoint.id } };
    for (const [mutation, variables] of [
      [UPDATE_ENDPOINT, { input: { id: endpoint.id, enabled: false } }],
      [ROTATE_SECRET, byId],
      [DELETE_ENDPOINT, byId],
    ] as const) {
      expect(errorCode(await stack.gql(mutation, variables, { token: stranger.token }))).toBe('FORBIDDEN');
      expect(errorCode(await stack.gql(mutation, variables, { token: merchant.token }))).toBe('FORBIDDEN');
    }

    const updated = await stack.gql(
      UPDATE_ENDPOINT,
      { input: { id: endpoint.id, eventTypes: ['COMPLAINT_DECIDED', 'COMPLAINT_APPEALED'], enabled: false } },
      { token: brandOwner.token },
    );
    expect(updated.body.data.updateWebhookEndpoint.endpoint).toMatchObject({
      eventTypes: ['COMPLAINT_DECIDED', 'COMPLAINT_APPEALED'],
      enabled: false,
    });

    const deleted = await stack.gql(DELETE_ENDPOINT, byId, { token: brandOwner.token });
    expect(deleted.body.data.deleteWebhookEndpoint).toEqual({ deletedEndpointId: endpoint.id, userErrors: [] });
    expect(await stack.db.webhookEndpoint.findUnique({ where: { id: rowId(endpoint.id) } })).toBeNull();
  });

  it("only the store's owner manages the store's endpoints, for the store's own events", async () => {
    const route = receiver.route();
    const input = { storeId: store.id, url: route.url, eventTypes: ['BADGE_GRANTED'] };
    expect(errorCode(await stack.gql(CREATE_ENDPOINT, { input }, { token: brandOwner.token }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(CREATE_ENDPOINT, { input }, { token: stranger.token }))).toBe('FORBIDDEN');
    const created = await stack.gql(CREATE_ENDPOINT, { input }, { token: merchant.token });
    expect(created.body.data.createWebhookEndpoint.endpoint).toMatchObject({ store: { id: store.id }, brand: null });
    expect(errorCode(await stack.gql(LIST_ENDPOINTS, { storeId: store.id }, { token: brandOwner.token }))).toBe('FORBIDDEN');

    const brandOnly = await stack.gql(
      CREATE_ENDPOINT,
      { input: { ...input, eventTypes: ['LETTER_AWAITING_CONFIRMATION'] } },
      { token: merchant.token },
    );
    expect(brandOnly.body.data.createWebhookEndpoint.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'eventTypes'] }),
    ]);
  });

  it('refuses URLs that are not http(s) and hosts that do not resolve', async () => {
    const refused = async (url: string) =>
      (await stack.gql(CREATE_ENDPOINT, { input: { brandId: brand.id, url, eventTypes: ['BADGE_GRANTED'] } }, { token: brandOwner.token }))
        .body.data.createWebhookEndpoint.userErrors;
    expect(await refused('ftp://127.0.0.1/hook')).toEqual([
      { code: 'INVALID', field: ['input', 'url'], message: 'A webhook URL must use https.' },
    ]);
    expect(await refused('https://no-such-host.invalid/hook')).toEqual([
      { code: 'INVALID', field: ['input', 'url'], message: 'The host of this URL does not resolve.' },
    ]);
    expect(await refused('https://user:secret@127.0.0.1/hook')).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'url'] }),
    ]);
  });
});

describe('deliveries', () => {
  it('sends a letter awaiting confirmation, signed, and the brand subscription carries the same event', async () => {
    const endpoint = await letterEndpoint();
    const events = await stack.subscribe(BRAND_EVENTS, { brandId: brand.id }, { token: brandOwner.token });
    try {
      const letter = await submitLetterToBrand();
      await waitForRequests(endpoint.route, 1);
      const [request] = endpoint.route.requests;
      const body = new Webhook(endpoint.secret).verify(request!.body, request!.headers as Record<string, string>) as any;
      expect(body).toMatchObject({
        type: 'letter.awaiting_confirmation',
        data: { letterId: letter.id, brandId: brand.id, storeId: store.id },
      });

      await vi.waitFor(() => expect(events.received.map((e) => e.data.brandEvents.id)).toContain(request!.headers['webhook-id']), {
        timeout: 10_000,
      });
      const live = events.received.find((e) => e.data.brandEvents.id === request!.headers['webhook-id'])!.data.brandEvents;
      expect(live.type).toBe('LETTER_AWAITING_CONFIRMATION');
      expect(live.payload).toBe(request!.body);

      await vi.waitFor(async () => {
        const [delivery] = await deliveries(endpoint.id);
        expect(delivery).toMatchObject({ status: 'SUCCEEDED', replays: 0, event: { id: request!.headers['webhook-id'] } });
        expect(delivery.attempts).toEqual([
          expect.objectContaining({ replay: 0, number: 1, statusCode: 204, error: null, succeeded: true }),
        ]);
      }, SETTLES);
    } finally {
      await events.close();
    }
  });

  it('only brand members may follow the brand events', async () => {
    const refused = await stack.subscribe(BRAND_EVENTS, { brandId: brand.id }, { token: stranger.token });
    try {
      await vi.waitFor(() => expect(refused.received[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'), { timeout: 5000 });
      expect(refused.received.every((event) => !event.data?.brandEvents)).toBe(true);
    } finally {
      await refused.close();
    }
  });

  it('retries after a 500 and after a timeout, records each attempt, and the effect happens once', async () => {
    const endpoint = await letterEndpoint(['fail', 'hang']);
    await submitLetterToBrand();
    await waitForRequests(endpoint.route, 3);
    const ids = new Set(endpoint.route.requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const request of endpoint.route.requests) {
      expect(new Webhook(endpoint.secret).verify(request.body, request.headers as Record<string, string>)).toBeTruthy();
    }
    expect(endpoint.route.effects).toEqual([...ids]);
    await vi.waitFor(async () => {
      const [delivery] = await deliveries(endpoint.id);
      expect(delivery.status).toBe('SUCCEEDED');
      expect(delivery.attempts).toEqual([
        expect.objectContaining({ number: 1, statusCode: 500, error: 'HTTP 500', succeeded: false }),
        expect.objectContaining({ number: 2, statusCode: null, error: 'No answer within 1000 ms', succeeded: false }),
        expect.objectContaining({ number: 3, statusCode: 204, error: null, succeeded: true }),
      ]);
      expect(delivery.attempts[1].durationMs).toBeGreaterThanOrEqual(1000);
    }, SETTLES);
  });

  it('a replay sends the same webhook-id again, as a new series; a deduping receiver applies it once', async () => {
    const endpoint = await letterEndpoint();
    await submitLetterToBrand();
    await waitForRequests(endpoint.route, 1);
    const [delivered] = await vi.waitFor(async () => {
      const list = await deliveries(endpoint.id);
      expect(list[0]?.status).toBe('SUCCEEDED');
      return list;
    }, SETTLES);

    endpoint.route.plan.push('fail');
    expect(errorCode(await stack.gql(REPLAY_DELIVERY, { input: { id: delivered!.id } }, { token: stranger.token }))).toBe('FORBIDDEN');
    const replayed = await stack.gql(REPLAY_DELIVERY, { input: { id: delivered!.id } }, { token: brandOwner.token });
    expect(replayed.body.data.replayWebhookDelivery).toEqual({
      delivery: { id: delivered!.id, status: 'PENDING', replays: 1 },
      userErrors: [],
    });
    await waitForRequests(endpoint.route, 3);
    expect(new Set(endpoint.route.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivered!.event.id]));
    expect(new Set(endpoint.route.requests.map((r) => r.body)).size).toBe(1);
    expect(endpoint.route.effects).toEqual([delivered!.event.id]);
    await vi.waitFor(async () => {
      const [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ status: 'SUCCEEDED', replays: 1 });
      expect(
        delivery.attempts.map((a: { replay: number; number: number; succeeded: boolean }) => [a.replay, a.number, a.succeeded]),
      ).toEqual([
        [0, 1, true],
        [1, 1, false],
        [1, 2, true],
      ]);
    }, SETTLES);
  });

  it('after a secret rotation both secrets sign, so receivers can switch over', async () => {
    const endpoint = await letterEndpoint();
    const rotated = await stack.gql(ROTATE_SECRET, { input: { id: endpoint.id } }, { token: brandOwner.token });
    const newSecret = rotated.body.data.rotateWebhookSecret.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(endpoint.secret);
    await submitLetterToBrand();
    await waitForRequests(endpoint.route, 1);
    const [request] = endpoint.route.requests;
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, newSecret]) {
      expect(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).toBeTruthy();
    }
  });

  it('a disabled endpoint and an endpoint of another brand receive nothing', async () => {
    const disabled = await letterEndpoint();
    await stack.gql(UPDATE_ENDPOINT, { input: { id: disabled.id, enabled: false } }, { token: brandOwner.token });
    const otherBrand = await registerBrand(stack, stranger.token, unique('other'));
    const other = receiver.route();
    await createEndpoint(stranger, { brandId: otherBrand.id }, other.url, ['LETTER_AWAITING_CONFIRMATION']);
    const watching = await letterEndpoint();
    await submitLetterToBrand();
    await waitForRequests(watching.route, 1);
    expect(disabled.route.requests).toEqual([]);
    expect(other.requests).toEqual([]);
    expect(await deliveries(disabled.id)).toEqual([]);
  });

  it("a granted badge reaches the store's endpoint and the brand's", async () => {
    const reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
    const owner = await actor(stack, 'official', ['BRAND', 'MERCHANT']);
    const ownBrand = await verifiedBrand(stack, owner, reviewer);
    const ownStore = await createStore(stack, owner);
    const storeRoute = receiver.route();
    const brandRoute = receiver.route();
    const storeEndpoint = await createEndpoint(owner, { storeId: ownStore.id }, storeRoute.url, ['BADGE_GRANTED', 'BADGE_REVOKED']);
    const brandEndpoint = await createEndpoint(owner, { brandId: ownBrand.id }, brandRoute.url, ['BADGE_GRANTED']);
    const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: ownStore.id, brandId: ownBrand.id } }, { token: owner.token });
    const badge = res.body.data.requestOfficialBadge.badge as { id: string };
    await waitForRequests(storeRoute, 1);
    await waitForRequests(brandRoute, 1);
    const storeBody = new Webhook(storeEndpoint.secret).verify(
      storeRoute.requests[0]!.body,
      storeRoute.requests[0]!.headers as Record<string, string>,
    );
    expect(storeBody).toMatchObject({
      type: 'badge.granted',
      data: { badgeId: badge.id, storeId: ownStore.id, brandId: ownBrand.id, kind: 'OFFICIAL_STORE' },
    });
    expect(
      new Webhook(brandEndpoint.secret).verify(brandRoute.requests[0]!.body, brandRoute.requests[0]!.headers as Record<string, string>),
    ).toEqual(storeBody);
    expect(storeRoute.requests[0]!.headers['webhook-id']).toBe(brandRoute.requests[0]!.headers['webhook-id']);

    await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'Counterfeits found' } }, { token: reviewer.token });
    await waitForRequests(storeRoute, 2);
    const revoked = new Webhook(storeEndpoint.secret).verify(
      storeRoute.requests[1]!.body,
      storeRoute.requests[1]!.headers as Record<string, string>,
    );
    expect(revoked).toMatchObject({ type: 'badge.revoked', data: { badgeId: badge.id, status: 'REVOKED', reason: 'Counterfeits found' } });
    // The brand's endpoint asked for grants only.
    expect(brandRoute.requests).toHaveLength(1);
  });

  it("a complaint against a store reaches the store's endpoint when filed, decided and appealed", async () => {
    const [consumer, owner, reviewer, appealReviewer] = await Promise.all([
      actor(stack, 'consumer', ['CONSUMER']),
      actor(stack, 'accused', ['MERCHANT']),
      actor(stack, 'reviewer', ['REVIEWER']),
      actor(stack, 'appeal-reviewer', ['REVIEWER']),
    ]);
    const accused = await createStore(stack, owner);
    const route = receiver.route();
    const endpoint = await createEndpoint(owner, { storeId: accused.id }, route.url, [
      'COMPLAINT_FILED',
      'COMPLAINT_DECIDED',
      'COMPLAINT_APPEALED',
    ]);
    const filed = await fileComplaint(stack, consumer, accused.id);
    await addPhoto(stack, consumer, filed.id, await photo(11));
    const journey = {
      consumer,
      merchant: owner,
      complaintId: filed.id,
      rowId: rowId(filed.id),
      workflowId: complaintWorkflowId(rowId(filed.id)),
    };
    await takeActions(stack, journey, { reviewer, appealReviewer }, 0, JOURNEY_ACTIONS.indexOf('appeal') + 1);
    await waitForRequests(route, 3, 30_000);
    const bodies = route.requests.map((r) => new Webhook(endpoint.secret).verify(r.body, r.headers as Record<string, string>) as any);
    const byType = Object.fromEntries(bodies.map((body) => [body.type, body.data]));
    expect(Object.keys(byType).sort()).toEqual(['complaint.appealed', 'complaint.decided', 'complaint.filed']);
    expect(byType['complaint.filed']).toMatchObject({ complaintId: filed.id, storeId: accused.id, brandId: null });
    expect(byType['complaint.decided']).toMatchObject({ complaintId: filed.id, verdict: 'COUNTERFEIT' });
    expect(byType['complaint.appealed']).toMatchObject({ complaintId: filed.id, appealedBy: 'MERCHANT' });
  });
});
