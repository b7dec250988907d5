import { afterAll, beforeAll, expect, it } from 'vitest';
import { badgeWorkflowId } from '../src/temporal/workflow-gateway.js';
import { REQUEST_OFFICIAL_BADGE, REVOKE_BADGE, actor, createStore, verifiedBrand, type Actor } from './support/store-operations.js';
import { rowId, startStack, type Stack } from './support/stack.js';

// Timers run on the real Temporal dev server with durations of seconds.
const REMINDER_LEAD_SECONDS = 6;

let stack: Stack;
let owner: Actor;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ config: { BADGE_RENEWAL_REMINDER_SECONDS: String(REMINDER_LEAD_SECONDS) } });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(200);
    value = await read();
  }
  return value;
}

async function officialBadge(validForMs: number) {
  const brand = await verifiedBrand(stack, owner, reviewer, new Date(Date.now() + validForMs));
  const store = await createStore(stack, owner);
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  const badge = res.body.data.requestOfficialBadge.badge as { id: string; expiresAt: string; credential: string };
  return { ...badge, rowId: rowId(badge.id) };
}

const auditActions = async (badgeId: string) =>
  (await stack.db.auditEvent.findMany({ where: { entityType: 'Badge', entityId: badgeId }, orderBy: { at: 'asc' } })).map((e) => e.action);

it('reminds once, then expires exactly at expiresAt, once, across a worker restart', async () => {
  await stack.startWorker();
  const badge = await officialBadge(16_000);
  const expiresAt = Date.parse(badge.expiresAt);

  // The worker dies while the timers run; a new one takes over.
  await sleep(2_000);
  await stack.workers[0]!.kill('SIGKILL');
  await stack.startWorker();

  const reminded = await waitFor(() => stack.db.badge.findUniqueOrThrow({ where: { id: badge.rowId } }), (b) => b.reminderSentAt !== null, 20_000);
  expect(reminded.status).toBe('ACTIVE');
  expect(reminded.reminderSentAt!.getTime()).toBeGreaterThanOrEqual(expiresAt - REMINDER_LEAD_SECONDS * 1000);

  const untilExpiry = expiresAt - Date.now();
  if (untilExpiry > 1_500) {
    await sleep(untilExpiry - 1_000);
    expect((await stack.db.badge.findUniqueOrThrow({ where: { id: badge.rowId } })).status).toBe('ACTIVE');
  }
  const expired = await waitFor(() => stack.db.badge.findUniqueOrThrow({ where: { id: badge.rowId } }), (b) => b.status === 'EXPIRED', 20_000);
  expect(expired.status).toBe('EXPIRED');
  expect(expired.updatedAt.getTime()).toBeGreaterThanOrEqual(expiresAt);
  expect(expired.updatedAt.getTime() - expiresAt).toBeLessThan(10_000);
  expect(await auditActions(badge.rowId)).toEqual(['badge.issued', 'badge.renewal_reminder', 'badge.expired']);

  const verification = await stack.gql(`query ($c: String!) { verifyBadgeCredential(credential: $c) { valid status reason } }`, { c: badge.credential });
  expect(verification.body.data.verifyBadgeCredential).toEqual({ valid: false, status: 'EXPIRED', reason: 'The credential has expired.' });
});

it('restores a suspended badge on its own when the suspension ends, and the status list shows it meanwhile', async () => {
  const badge = await officialBadge(365 * 86_400_000);
  await stack.runtime.services.workflows.suspendBadge(badge.rowId, new Date(Date.now() + 3_000), 'strike 2');
  const suspended = await waitFor(() => stack.db.badge.findUniqueOrThrow({ where: { id: badge.rowId } }), (b) => b.status === 'SUSPENDED', 10_000);
  expect(suspended.status).toBe('SUSPENDED');
  const whileSuspended = await stack.gql(`query ($id: ID!) { node(id: $id) { ... on Badge { status credential } } }`, { id: badge.id });
  expect(whileSuspended.body.data.node).toEqual({ status: 'SUSPENDED', credential: null });

  const restored = await waitFor(() => stack.db.badge.findUniqueOrThrow({ where: { id: badge.rowId } }), (b) => b.status === 'ACTIVE', 15_000);
  expect(restored.status).toBe('ACTIVE');
  expect(restored.suspendedUntil).toBeNull();
  expect(await auditActions(badge.rowId)).toEqual(['badge.issued', 'badge.suspended', 'badge.restored']);
});

it('ends the timers when a badge is revoked', async () => {
  const badge = await officialBadge(365 * 86_400_000);
  const handle = stack.runtime.temporal.client.workflow.getHandle(badgeWorkflowId(badge.rowId));
  expect((await handle.describe()).status.name).toBe('RUNNING');
  await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'Brand withdrew consent' } }, { token: reviewer.token });
  const description = await waitFor(() => handle.describe(), (d) => d.status.name !== 'RUNNING', 10_000);
  expect(description.status.name).toBe('COMPLETED');
  expect((await stack.db.badge.findUniqueOrThrow({ where: { id: badge.rowId } })).status).toBe('REVOKED');
});
