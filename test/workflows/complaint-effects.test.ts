import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectedFaults } from '../support/faults.js';
import { complaintWorkflowId } from '../../workflows/complaint.workflow.js';
import {
  APPEAL_DECISION,
  CLAIM_COMPLAINT,
  COMPLAINT_BY_ID,
  DECIDE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  addPhoto,
  fileComplaint,
  send,
} from '../support/complaint-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { REQUEST_OFFICIAL_BADGE, actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

// Warnings, coupons and strikes: the effects a COUNTERFEIT decision has, made
// exactly once across activity failures and worker crashes.

// Strike 2 suspends badges for this long, so the test sees them come back.
const SHORT_SUSPENSION_SECONDS = 4;
const PENDING_ACTIVITY_STATE_STARTED = 2;

let stack: Stack;
let owner: Actor; // runs the store and is a member of its brands
let consumer: Actor;
let stranger: Actor;
let reviewer: Actor;
let secondReviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ config: { BADGE_SUSPENSION_SECONDS: String(SHORT_SUSPENSION_SECONDS) } });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  consumer = await actor(stack, 'consumer', ['CONSUMER']);
  stranger = await actor(stack, 'stranger', ['CONSUMER']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  secondReviewer = await actor(stack, 'reviewer-2', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds or the time is up, and returns the last value read. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await read();
  }
  return value;
}

// One worker at a time serves the stack's task queue, so a fault reaches every
// activity attempt it is meant for. A live worker with the same faults is reused.
let live: { faults: string; stop: () => Promise<void> } | undefined;

async function workerWith(faults: InjectedFaults = {}) {
  const key = JSON.stringify(faults);
  if (live?.faults === key) return;
  await live?.stop();
  const worker = await stack.startWorker(faults);
  live = { faults: key, stop: () => worker.stop() };
}

/** A worker in its own process, to be killed mid-step; it replaces the live one. */
async function doomedWorker(faults: InjectedFaults) {
  await live?.stop();
  live = undefined;
  return stack.startWorkerProcess(faults);
}

async function step(on: Stack, mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(on, mutation, who, input);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(payload.userErrors).toEqual([]);
  return payload.complaint as { id: string; status: string };
}

/** Files a complaint and takes it to a COUNTERFEIT decision; returns when decideComplaint has returned. */
async function decideCounterfeit(
  storeId: string,
  options: { brandId?: string; compensation?: { amount: string; currency: string }; on?: Stack } = {},
) {
  const on = options.on ?? stack;
  const filed = await fileComplaint(on, consumer, storeId, options.brandId);
  expect((await addPhoto(on, consumer, filed.id)).body.data.addEvidence.userErrors).toEqual([]);
  await step(on, SUBMIT_COMPLAINT, consumer, { complaintId: filed.id });
  await step(on, RESPOND_TO_COMPLAINT, owner, { complaintId: filed.id, statement: 'Our stock comes from the brand.' });
  await step(on, CLAIM_COMPLAINT, reviewer, { complaintId: filed.id });
  const decided = await step(on, DECIDE_COMPLAINT, reviewer, {
    complaintId: filed.id,
    verdict: 'COUNTERFEIT',
    note: 'The logo does not match.',
    compensation: options.compensation,
  });
  const decidedAt = Date.now();
  expect(decided.status).toBe('DECIDED');
  return { id: filed.id, rowId: rowId(filed.id), decidedAt };
}

const effectsOf = async (complaintId: string) => ({
  warnings: await stack.db.warning.findMany({ where: { complaintId } }),
  coupons: await stack.db.coupon.findMany({ where: { complaintId } }),
});

const waitForCoupon = (complaintId: string, timeoutMs = 20_000, intervalMs = 100) =>
  waitFor(
    () => stack.db.coupon.findUnique({ where: { complaintId } }),
    (c) => c !== null,
    timeoutMs,
    intervalMs,
  );

const auditCount = (action: string, entityId: string) => stack.db.auditEvent.count({ where: { action, entityId } });

const workflowOf = (complaintRowId: string) => stack.runtime.temporal.client.workflow.getHandle(complaintWorkflowId(complaintRowId));

/** The attempt of the issueCoupon activity that completed, as the workflow history records it. */
async function completedCouponAttempt(handle: WorkflowHandle): Promise<number | undefined> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'issueCoupon');
  const started = events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
  return started?.activityTaskStartedEventAttributes?.attempt ?? undefined;
}

async function storeWithBadges(brandCount: number, on: Stack = stack) {
  const store = await createStore(on, owner);
  const brands = [];
  for (let i = 0; i < brandCount; i++) {
    const brand = await verifiedBrand(on, owner, reviewer);
    const issued = await on.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
    expect(issued.body.data.requestOfficialBadge.badge).toMatchObject({ kind: 'OFFICIAL_STORE', status: 'ACTIVE' });
    brands.push(brand);
  }
  return { store, storeRowId: rowId(store.id), brands };
}

const STORE_VIEW = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Store {
        status
        activeStrikes
        badges {
          id
          kind
          status
          revokedReason
        }
        warnings {
          strikeNumber
          rescindedAt
          complaint {
            id
          }
        }
      }
    }
  }
`;

async function storeView(storeId: string, who: Actor, on: Stack = stack) {
  const res = await on.gql(STORE_VIEW, { id: storeId }, { token: who.token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node as {
    status: string;
    activeStrikes: number;
    badges: Array<{ id: string; status: string; revokedReason: string | null }>;
    warnings: Array<{ strikeNumber: number; rescindedAt: string | null; complaint: { id: string } }>;
  };
}

const badgeRows = (storeRowId: string) => stack.db.badge.findMany({ where: { storeId: storeRowId }, orderBy: { issuedAt: 'asc' } });
const allBadges = (status: string) => (badges: Array<{ status: string }>) => badges.every((b) => b.status === status);

/** Collects `badgeChanged` events of one store, as a storefront would over server-sent events. */
async function watchBadgeChanges(storeId: string) {
  const stream = await stack.subscribe<{ data: { badgeChanged: { id: string; status: string } } }>(
    `subscription ($id: ID!) { badgeChanged(storeId: $id) { id status } }`,
    { id: storeId },
  );
  expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return {
    get received() {
      return stream.received.map((event) => event.data.badgeChanged);
    },
    close: () => stream.close(),
  };
}

describe('a COUNTERFEIT decision warns and compensates exactly once', () => {
  it('when the coupon activity fails twice before it succeeds', async () => {
    await workerWith({ couponFailures: 2 });
    const store = await createStore(stack, owner);
    const complaint = await decideCounterfeit(store.id, { compensation: { amount: '12.50', currency: 'EUR' } });

    const coupon = await waitForCoupon(complaint.rowId);
    expect(coupon).not.toBeNull();
    const view = await stack.gql(COMPLAINT_BY_ID, { id: complaint.id }, { token: consumer.token });
    expect(view.body.data.node).toMatchObject({
      status: 'DECIDED',
      warning: { strikeNumber: 1 },
      coupon: { code: coupon!.code, value: { amount: '12.50', currency: 'EUR' } },
    });

    const { warnings, coupons } = await effectsOf(complaint.rowId);
    expect(warnings).toHaveLength(1);
    expect(coupons).toHaveLength(1);
    expect(await auditCount('warning.issued', warnings[0]!.id)).toBe(1);
    expect(await auditCount('coupon.issued', coupons[0]!.id)).toBe(1);
    // The faults really were injected: the coupon came from the third attempt.
    expect(await completedCouponAttempt(workflowOf(complaint.rowId))).toBe(3);
  });

  it('when the worker is killed during the coupon step and another takes over', async () => {
    const doomed = await doomedWorker({ couponDelayMs: 4_000 });
    const store = await createStore(stack, owner);
    const complaint = await decideCounterfeit(store.id);
    const handle = workflowOf(complaint.rowId);

    // The warning is written and the coupon activity has started (and is pausing) on the doomed worker.
    const couponRunning = async () => {
      const { raw } = await handle.describe();
      const activity = raw.pendingActivities?.find((a) => a.activityType?.name === 'issueCoupon');
      return (
        activity?.state === PENDING_ACTIVITY_STATE_STARTED &&
        (await stack.db.warning.count({ where: { complaintId: complaint.rowId } })) === 1
      );
    };
    expect(await waitFor(couponRunning, Boolean, 15_000, 50)).toBe(true);
    expect(await effectsOf(complaint.rowId)).toMatchObject({ warnings: [expect.anything()], coupons: [] });
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();

    await workerWith();
    // The killed attempt is retried only when its startToCloseTimeout runs out: the activity has no heartbeat timeout.
    const coupon = await waitForCoupon(complaint.rowId, 100_000, 250);
    console.log(`coupon issued ${Math.round((Date.now() - killedAt) / 1000)} s after the worker was killed`);
    expect(coupon).not.toBeNull();

    const { warnings, coupons } = await effectsOf(complaint.rowId);
    expect(warnings).toHaveLength(1);
    expect(coupons).toHaveLength(1);
    expect(await auditCount('warning.issued', warnings[0]!.id)).toBe(1);
    expect(await auditCount('coupon.issued', coupons[0]!.id)).toBe(1);
    expect(await completedCouponAttempt(handle)).toBe(2);
    expect((await stack.db.complaint.findUniqueOrThrow({ where: { id: complaint.rowId } })).status).toBe('DECIDED');
    const view = await stack.gql(COMPLAINT_BY_ID, { id: complaint.id }, { token: consumer.token });
    expect(view.body.data.node).toMatchObject({
      status: 'DECIDED',
      warning: { strikeNumber: 1 },
      coupon: { value: { amount: '20.00', currency: 'USD' } },
    });
  }, 180_000);
});

describe('strikes', () => {
  it('leave the badges alone at 1, suspend them for a while at 2, and revoke them and suspend the store at 3', async () => {
    await workerWith();
    const { store, storeRowId, brands } = await storeWithBadges(2);
    const events = await watchBadgeChanges(store.id);
    const strikes: Array<{ id: string }> = [];
    try {
      // Strike 1: a warning and a coupon, nothing more.
      strikes.push(await decideCounterfeit(store.id, { brandId: brands[0]!.id }));
      await waitForCoupon(rowId(strikes[0]!.id));
      // Room for a wrongly signalled suspension to show.
      await sleep(1_000);
      expect(await storeView(store.id, owner)).toMatchObject({
        status: 'ACTIVE',
        activeStrikes: 1,
        badges: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }],
      });

      // Strike 2: the badges are suspended and come back by themselves.
      const second = await decideCounterfeit(store.id, { brandId: brands[0]!.id });
      strikes.push(second);
      const suspended = await waitFor(() => badgeRows(storeRowId), allBadges('SUSPENDED'), 15_000);
      expect(suspended.map((b) => b.status)).toEqual(['SUSPENDED', 'SUSPENDED']);
      const suspendedUntil = suspended[0]!.suspendedUntil!.getTime();
      expect(suspendedUntil - second.decidedAt).toBeGreaterThanOrEqual(SHORT_SUSPENSION_SECONDS * 1000 - 500);
      expect(suspendedUntil - second.decidedAt).toBeLessThan(SHORT_SUSPENSION_SECONDS * 1000 + 5_000);
      expect(await storeView(store.id, owner)).toMatchObject({
        status: 'ACTIVE',
        activeStrikes: 2,
        badges: [{ status: 'SUSPENDED' }, { status: 'SUSPENDED' }],
      });

      const restored = await waitFor(() => badgeRows(storeRowId), allBadges('ACTIVE'), SHORT_SUSPENSION_SECONDS * 1000 + 15_000);
      expect(restored.map((b) => b.status)).toEqual(['ACTIVE', 'ACTIVE']);
      for (const badge of restored) {
        expect(badge.suspendedUntil).toBeNull();
        expect(badge.updatedAt.getTime()).toBeGreaterThanOrEqual(suspendedUntil - 100);
        expect(badge.updatedAt.getTime() - suspendedUntil).toBeLessThan(5_000);
      }

      // Strike 3: the badges are revoked for good and the store is suspended.
      strikes.push(await decideCounterfeit(store.id, { brandId: brands[1]!.id }));
      await waitFor(
        () => stack.db.store.findUniqueOrThrow({ where: { id: storeRowId } }),
        (s) => s.status === 'SUSPENDED',
        15_000,
      );
      const revoked = await storeView(store.id, owner);
      expect(revoked).toMatchObject({ status: 'SUSPENDED', activeStrikes: 3 });
      expect(revoked.badges).toEqual([
        expect.objectContaining({ status: 'REVOKED', revokedReason: expect.stringMatching(/^strike 3/) }),
        expect.objectContaining({ status: 'REVOKED', revokedReason: expect.stringMatching(/^strike 3/) }),
      ]);

      // Warnings show to the owner (and reviewers), not to anyone else.
      const byStrike = (view: Awaited<ReturnType<typeof storeView>>) =>
        [...view.warnings]
          .sort((a, b) => a.strikeNumber - b.strikeNumber)
          .map((w) => ({ strikeNumber: w.strikeNumber, complaint: w.complaint.id, rescinded: w.rescindedAt !== null }));
      const expected = strikes.map((s, i) => ({ strikeNumber: i + 1, complaint: s.id, rescinded: false }));
      expect(byStrike(revoked)).toEqual(expected);
      expect(byStrike(await storeView(store.id, reviewer))).toEqual(expected);
      expect((await storeView(store.id, stranger)).warnings).toEqual([]);

      // Each badge was published suspended, active again, then revoked.
      const received = await waitFor(
        async () => events.received.length,
        (n) => n >= 6,
        10_000,
      );
      expect(received).toBe(6);
      for (const badge of revoked.badges) {
        expect(events.received.filter((e) => e.id === badge.id).map((e) => e.status)).toEqual(['SUSPENDED', 'ACTIVE', 'REVOKED']);
      }
    } finally {
      await events.close();
    }
  }, 120_000);
});

describe('an appeal that overturns a COUNTERFEIT verdict', () => {
  let longSuspension: Stack;

  beforeAll(async () => {
    // The suspension length travels in the workflow's input, so an API with another
    // setting on the same task queue is served by the same worker.
    longSuspension = await startStack({ config: { TEMPORAL_TASK_QUEUE: stack.taskQueue, BADGE_SUSPENSION_SECONDS: String(30 * 86_400) } });
  });

  afterAll(async () => {
    await longSuspension?.close();
  });

  it('rescinds the warning, lifts the strike-2 suspension and keeps the coupon', async () => {
    await workerWith();
    const { store, storeRowId, brands } = await storeWithBadges(1, longSuspension);
    const first = await decideCounterfeit(store.id, { brandId: brands[0]!.id, on: longSuspension });
    await waitForCoupon(first.rowId);
    const overturned = await decideCounterfeit(store.id, { brandId: brands[0]!.id, on: longSuspension });
    const coupon = await waitForCoupon(overturned.rowId);
    const [suspended] = await waitFor(() => badgeRows(storeRowId), allBadges('SUSPENDED'), 15_000);
    expect(suspended!.status).toBe('SUSPENDED');
    expect(suspended!.suspendedUntil!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await storeView(store.id, owner, longSuspension)).activeStrikes).toBe(2);

    const appealed = await step(longSuspension, APPEAL_DECISION, owner, {
      complaintId: overturned.id,
      reason: 'The invoice proves the stock is genuine.',
    });
    expect(appealed.status).toBe('APPEALED');
    await step(longSuspension, CLAIM_COMPLAINT, secondReviewer, { complaintId: overturned.id });
    const closed = await step(longSuspension, DECIDE_COMPLAINT, secondReviewer, {
      complaintId: overturned.id,
      verdict: 'NOT_COUNTERFEIT',
      note: 'The invoice checks out.',
    });
    expect(closed.status).toBe('CLOSED');

    const restored = await waitFor(() => badgeRows(storeRowId), allBadges('ACTIVE'), 15_000);
    expect(restored.map((b) => ({ status: b.status, suspendedUntil: b.suspendedUntil }))).toEqual([
      { status: 'ACTIVE', suspendedUntil: null },
    ]);
    const view = await storeView(store.id, owner, longSuspension);
    expect(view).toMatchObject({ status: 'ACTIVE', activeStrikes: 1, badges: [{ status: 'ACTIVE' }] });
    expect(view.warnings.find((w) => w.complaint.id === overturned.id)).toMatchObject({ strikeNumber: 2, rescindedAt: expect.any(String) });
    expect(view.warnings.find((w) => w.complaint.id === first.id)).toMatchObject({ strikeNumber: 1, rescindedAt: null });

    // The coupon stays with the consumer.
    const complaint = await longSuspension.gql(COMPLAINT_BY_ID, { id: overturned.id }, { token: consumer.token });
    expect(complaint.body.data.node).toMatchObject({ status: 'CLOSED', verdict: 'NOT_COUNTERFEIT', coupon: { code: coupon!.code } });
    expect(await stack.db.coupon.count({ where: { complaintId: overturned.rowId } })).toBe(1);
  }, 120_000);
});

describe('latency', () => {
  it('measures the time from decideComplaint returning to the coupon existing', async () => {
    await workerWith();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const store = await createStore(stack, owner);
      const complaint = await decideCounterfeit(store.id);
      const coupon = await waitForCoupon(complaint.rowId, 20_000, 10);
      expect(coupon).not.toBeNull();
      times.push(Date.now() - complaint.decidedAt);
    }
    const median = [...times].sort((a, b) => a - b)[2]!;
    console.log(`decide-to-coupon median ${median} ms (${times.join(', ')})`);
  }, 120_000);
});
