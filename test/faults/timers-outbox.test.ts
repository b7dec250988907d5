import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { badgeWorkflowId, brandWorkflowId } from '../../src/temporal/workflow-gateway.js';
import { approvedLetter } from '../support/authorization-chain.js';
import { REVIEW_TRADEMARK, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { REVOKE_LETTER } from '../support/letter-operations.js';
import { startPrivateTemporal, type PrivateTemporal } from '../support/private-servers.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

// Temporal is down while a change that needs a timer commits: the change
// stands, its message waits in the outbox, and the worker's relay delivers it
// once Temporal is back. The stack runs on a Temporal server of its own, so
// stopping it disturbs nobody else.

// The relay's longest wait between attempts; it bounds the catch-up after an outage.
const RETRY_MAX_SECONDS = 2;

let temporal: PrivateTemporal;
let stack: Stack;
let owner: Actor;
let reviewer: Actor;
const catchUps: string[] = [];

beforeAll(async () => {
  temporal = await startPrivateTemporal();
  stack = await startStack({
    worker: true,
    config: { TEMPORAL_ADDRESS: temporal.address, OUTBOX_RETRY_MAX_SECONDS: String(RETRY_MAX_SECONDS) },
  });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  if (catchUps.length > 0)
    console.info(`Timers after a Temporal outage (relay retries at most every ${RETRY_MAX_SECONDS} s): ${catchUps.join('; ')}`);
  await stack?.close();
  await temporal?.dispose();
});

const outboxRows = (workflowId: string) => stack.db.workflowOutbox.findMany({ where: { workflowId }, orderBy: { id: 'asc' } });
const workflow = (workflowId: string) => stack.runtime.temporal.client.workflow.getHandle(workflowId);
const signalsOf = async (workflowId: string) =>
  ((await workflow(workflowId).fetchHistory()).events ?? []).flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
const runsOf = async (workflowId: string) => {
  let runs = 0;
  for await (const _run of stack.runtime.temporal.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs++;
  return runs;
};

/** Stops Temporal, runs `change`, checks its message waits (tried and backed off), then starts Temporal and times the catch-up. */
async function duringOutage(workflowId: string, change: () => Promise<void>, caughtUp: () => Promise<void>, label: string) {
  const before = (await outboxRows(workflowId)).length;
  await temporal.stop();
  await change();
  const waiting = (await outboxRows(workflowId)).slice(before);
  expect(waiting).toHaveLength(1);
  expect(waiting[0]!.deliveredAt).toBeNull();
  // The relay tries, fails and waits before the next attempt; the change stands meanwhile.
  await vi.waitFor(
    async () => {
      const [row] = (await outboxRows(workflowId)).slice(before);
      expect(row!.lastError).not.toBeNull();
      expect(row!.deliveredAt).toBeNull();
    },
    { timeout: 30_000, interval: 100 },
  );

  const restarting = Date.now();
  await temporal.start();
  const serving = Date.now();
  await vi.waitFor(async () => expect((await outboxRows(workflowId)).slice(before)[0]!.deliveredAt).not.toBeNull(), {
    timeout: 60_000,
    interval: 100,
  });
  const delivered = Date.now();
  await vi.waitFor(caughtUp, { timeout: 60_000, interval: 100 });
  const done = Date.now();
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  catchUps.push(
    `${label}: message delivered ${seconds(delivered - serving)} and workflow caught up ${seconds(done - serving)} after Temporal served again (its restart took ${seconds(serving - restarting)})`,
  );
}

it('keeps a trademark approval made while Temporal is down, and starts the brand timer once it is back', async () => {
  const brand = await registerBrand(stack, owner.token, unique('outage'), 'Outage Brand');
  const submitted = await submitTrademark(stack, owner.token, brand.id, {
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  const trademarkId = submitted.body.data.submitTrademark.trademark.id as string;
  const workflowId = brandWorkflowId(rowId(brand.id));

  await duringOutage(
    workflowId,
    async () => {
      const approved = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademarkId, approve: true } }, { token: reviewer.token });
      expect(approved.body.errors).toBeUndefined();
      expect(approved.body.data.reviewTrademark.userErrors).toEqual([]);
      expect(approved.body.data.reviewTrademark.trademark).toMatchObject({ status: 'APPROVED', brand: { status: 'VERIFIED' } });
    },
    async () => expect((await workflow(workflowId).describe()).status.name).toBe('RUNNING'),
    'trademark approval → brand timer running',
  );

  expect((await stack.db.trademark.findUniqueOrThrow({ where: { id: rowId(trademarkId) } })).status).toBe('APPROVED');
  expect(await signalsOf(workflowId)).toEqual(['trademarksChanged']);
  await expect.poll(() => runsOf(workflowId), { timeout: 10_000 }).toBe(1);
  expect(await outboxRows(workflowId)).toHaveLength(1);
});

it('keeps a letter revocation made while Temporal is down, and ends the badge timer once it is back', async () => {
  const brand = await verifiedBrand(stack, owner, reviewer);
  const store = await createStore(stack, owner);
  const letter = await approvedLetter(stack, { owner, reviewer }, store.id, brand.id);
  const badge = await stack.db.badge.findUniqueOrThrow({ where: { letterId: rowId(letter.id) } });
  const workflowId = badgeWorkflowId(badge.id);
  await vi.waitFor(async () => expect((await workflow(workflowId).describe()).status.name).toBe('RUNNING'), { timeout: 10_000 });

  await duringOutage(
    workflowId,
    async () => {
      const revoked = await stack.gql(
        REVOKE_LETTER,
        { input: { id: letter.id, reason: 'Distribution agreement ended' } },
        { token: owner.token },
      );
      expect(revoked.body.errors).toBeUndefined();
      expect(revoked.body.data.revokeAuthorization.userErrors).toEqual([]);
      expect(revoked.body.data.revokeAuthorization.letter.status).toBe('REVOKED');
    },
    // The revocation ends the badge's timers.
    async () => expect((await workflow(workflowId).describe()).status.name).toBe('COMPLETED'),
    'letter revocation → badge timer ended',
  );

  expect((await stack.db.badge.findUniqueOrThrow({ where: { id: badge.id } })).status).toBe('REVOKED');
  expect(await signalsOf(workflowId)).toEqual(['badgeRevoked']);
  await expect.poll(() => runsOf(workflowId), { timeout: 10_000 }).toBe(1);
  expect((await outboxRows(workflowId)).map((row) => [row.kind, row.deliveredAt !== null])).toEqual([
    ['badgeIssued', true],
    ['badgeRevoked', true],
  ]);
});
