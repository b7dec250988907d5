import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { badgeWorkflowId } from '../../src/temporal/workflow-gateway.js';
import { REQUEST_OFFICIAL_BADGE, REVOKE_BADGE, actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';

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

const badgeRow = (id: string) => stack.db.badge.findUniqueOrThrow({ where: { id } });

/** Polls the badge row until `check` passes; returns the row it passed on. */
async function badgeWhen(id: string, check: (row: Awaited<ReturnType<typeof badgeRow>>) => void, timeout: number) {
  return vi.waitFor(
    async () => {
      const row = await badgeRow(id);
      check(row);
      return row;
    },
    { timeout, interval: 200 },
  );
}

async function officialBadge(validForMs: number) {
  const brand = await verifiedBrand(stack, owner, reviewer, new Date(Date.now() + validForMs));
  const store = await createStore(stack, owner);
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  const badge = res.body.data.requestOfficialBadge.badge as { id: string; expiresAt: string };
  return { ...badge, rowId: rowId(badge.id) };
}

const auditActions = async (badgeId: string) =>
  (await stack.db.auditEvent.findMany({ where: { entityType: 'Badge', entityId: badgeId }, orderBy: { at: 'asc' } })).map((e) => e.action);

it('reminds once, then expires exactly at expiresAt, once, across a worker restart', async () => {
  const doomed = await stack.startWorkerProcess();
  const badge = await officialBadge(12_000);
  const expiresAt = Date.parse(badge.expiresAt);

  // The worker dies once the badge's workflow has run its first task; a new one takes over the timers.
  const handle = stack.runtime.temporal.client.workflow.getHandle(badgeWorkflowId(badge.rowId));
  await vi.waitFor(async () => expect((await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes)).toBe(true), {
    timeout: 10_000,
  });
  await doomed.kill('SIGKILL');
  await stack.startWorker();

  const reminded = await badgeWhen(badge.rowId, (b) => expect(b.reminderSentAt).not.toBeNull(), 20_000);
  expect(reminded.status).toBe('ACTIVE');
  expect(reminded.reminderSentAt!.getTime()).toBeGreaterThanOrEqual(expiresAt - REMINDER_LEAD_SECONDS * 1000);

  // Not a moment early: the status changes at or after expiresAt, and soon after it.
  const expired = await badgeWhen(badge.rowId, (b) => expect(b.status).toBe('EXPIRED'), 20_000);
  expect(expired.updatedAt.getTime()).toBeGreaterThanOrEqual(expiresAt);
  expect(expired.updatedAt.getTime() - expiresAt).toBeLessThan(10_000);
  expect(await auditActions(badge.rowId)).toEqual(['badge.issued', 'badge.renewal_reminder', 'badge.expired']);

  const verification = await stack.gql(`query ($c: String!) { verifyBadgeCredential(credential: $c) { valid status reason } }`, {
    c: expired.credential,
  });
  expect(verification.body.data.verifyBadgeCredential).toEqual({ valid: false, status: 'EXPIRED', reason: 'The credential has expired.' });
});

it('restores a suspended badge on its own when the suspension ends, and the status list shows it meanwhile', async () => {
  const badge = await officialBadge(365 * 86_400_000);
  const { workflows } = stack.runtime.services;
  await stack.db.$transaction((tx) => workflows.suspendBadge(tx, badge.rowId, new Date(Date.now() + 3_000), 'strike 2'));
  await badgeWhen(badge.rowId, (b) => expect(b.status).toBe('SUSPENDED'), 10_000);
  const whileSuspended = await stack.gql(`query ($id: ID!) { node(id: $id) { ... on Badge { status credential } } }`, { id: badge.id });
  expect(whileSuspended.body.data.node).toEqual({ status: 'SUSPENDED', credential: null });

  const restored = await badgeWhen(badge.rowId, (b) => expect(b.status).toBe('ACTIVE'), 15_000);
  expect(restored.suspendedUntil).toBeNull();
  expect(await auditActions(badge.rowId)).toEqual(['badge.issued', 'badge.suspended', 'badge.restored']);
});

it('ends the timers when a badge is revoked', async () => {
  const badge = await officialBadge(365 * 86_400_000);
  const handle = stack.runtime.temporal.client.workflow.getHandle(badgeWorkflowId(badge.rowId));
  // The worker's relay starts the timers just after the badge is issued.
  await vi.waitFor(async () => expect((await handle.describe()).status.name).toBe('RUNNING'), { timeout: 10_000 });
  await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'Brand withdrew consent' } }, { token: reviewer.token });
  await vi.waitFor(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'), { timeout: 10_000 });
  expect((await stack.db.badge.findUniqueOrThrow({ where: { id: badge.rowId } })).status).toBe('REVOKED');
});
