import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { badgeWorkflowId } from '../../src/temporal/workflow-gateway.js';
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
import { REQUEST_OFFICIAL_BADGE, actor, createStore, publishedBadge, verifiedBrand, type Actor } from '../support/store-operations.js';

// Warnings, coupons and strikes: the effects a COUNTERFEIT decision has, made
// exactly once across activity failures and worker crashes.

// The stack keeps the default strike-2 suspension of days. The strikes test, which
// watches suspended badges come back, files its complaints through a second API
// (same task queue and worker) with this suspension: its length travels in the
// complaint workflow's input.
const SHORT_SUSPENSION_SECONDS = 4;
const PENDING_ACTIVITY_STATE_STARTED = 2;

let stack: Stack;
let owner: Actor; // runs the store and is a member of its brands
let consumer: Actor;
let stranger: Actor;
let reviewer: Actor;
let secondReviewer: Actor;

beforeAll(async () => {
  stack = await startStack();
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  consumer = await actor(stack, 'consumer', ['CONSUMER']);
  stranger = await actor(stack, 'stranger', ['CONSUMER']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  secondReviewer = await actor(stack, 'reviewer-2', ['REVIEWER']);
});

// Strikes count per owner across their stores, so each test's store has an owner of its own.
beforeEach(async () => {
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
});

afterAll(async () => {
  await stack?.close();
});

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

/** Polls until the complaint's coupon exists; the coupon activity runs after decideComplaint returns. */
const waitForCoupon = (complaintId: string, timeout = 20_000, interval = 100) =>
  vi.waitFor(
    async () => {
      const coupon = await stack.db.coupon.findUnique({ where: { complaintId } });
      if (!coupon) throw new Error(`no coupon yet for complaint ${complaintId}`);
      return coupon;
    },
    { timeout, interval },
  );

const auditCount = (action: string, entityId: string) => stack.db.auditEvent.count({ where: { action, entityId } });

const workflowOf = (complaintRowId: string) => stack.runtime.temporal.client.workflow.getHandle(complaintWorkflowId(complaintRowId));
const historyOf = async (workflowId: string) =>
  (await stack.runtime.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];

/**
 * True once the complaint's workflow has taken every effect of its decision: a
 * timer (the appeal window) started after the coupon activity completed.
 */
async function decisionEffectsTaken(complaintRowId: string): Promise<boolean> {
  const events = await historyOf(complaintWorkflowId(complaintRowId));
  const coupon = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'issueCoupon');
  const couponDone = events.findIndex((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(coupon?.eventId));
  return couponDone >= 0 && events.slice(couponDone).some((e) => e.timerStartedEventAttributes);
}

/** The signals a complaint's workflow sent to other workflows, and the activities it scheduled, as its history records them. */
async function outgoing(complaintRowId: string) {
  const events = await historyOf(complaintWorkflowId(complaintRowId));
  return {
    signals: events.flatMap((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName ?? []),
    activities: events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
  };
}

/** The signals a badge's workflow has received. */
const signalsReceived = async (badgeRowId: string) =>
  (await historyOf(badgeWorkflowId(badgeRowId))).flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);

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

/** Polls until the store's badges have these statuses, oldest first; returns the rows. */
const badgesReach = (storeRowId: string, statuses: string[], timeout = 15_000) =>
  vi.waitFor(
    async () => {
      const badges = await badgeRows(storeRowId);
      expect(badges.map((b) => b.status)).toEqual(statuses);
      return badges;
    },
    { timeout, interval: 100 },
  );

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
    const view = await stack.gql(COMPLAINT_BY_ID, { id: complaint.id }, { token: consumer.token });
    expect(view.body.data.node).toMatchObject({
      status: 'DECIDED',
      warning: { strikeNumber: 1 },
      coupon: { code: coupon.code, value: { amount: '12.50', currency: 'EUR' } },
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
    await expect.poll(couponRunning, { timeout: 15_000, interval: 50 }).toBe(true);
    expect(await effectsOf(complaint.rowId)).toMatchObject({ warnings: [expect.anything()], coupons: [] });
    await doomed.kill('SIGKILL');

    await workerWith();
    // The killed attempt is retried only when its startToCloseTimeout runs out: the activity has no heartbeat timeout.
    await waitForCoupon(complaint.rowId, 100_000, 250);

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
  let shortSuspension: Stack;

  beforeAll(async () => {
    shortSuspension = await startStack({
      config: { TEMPORAL_TASK_QUEUE: stack.taskQueue, BADGE_SUSPENSION_SECONDS: String(SHORT_SUSPENSION_SECONDS) },
    });
  });

  afterAll(async () => {
    await shortSuspension?.close();
  });

  it('leave the badges alone at 1, suspend them for a while at 2, and revoke them and suspend the store at 3', async () => {
    await workerWith();
    const { store, storeRowId, brands } = await storeWithBadges(2);
    // Watched once the log has handed out their credentials (itself a change storefronts hear of).
    for (const badge of (await storeView(store.id, owner)).badges) await publishedBadge(stack, badge.id);
    const events = await watchBadgeChanges(store.id);
    const strikes: Array<{ id: string }> = [];
    try {
      // Strike 1: a warning and a coupon, nothing more.
      const first = await decideCounterfeit(store.id, { brandId: brands[0]!.id, on: shortSuspension });
      strikes.push(first);
      await waitForCoupon(first.rowId);
      // Once the decision's effects are all taken, its workflow has signalled no badge and suspended nothing.
      await expect.poll(() => decisionEffectsTaken(first.rowId), { timeout: 15_000, interval: 100 }).toBe(true);
      expect(await outgoing(first.rowId)).toEqual({ signals: [], activities: expect.not.arrayContaining(['suspendStoreForStrikes']) });
      for (const badge of await badgeRows(storeRowId)) expect(await signalsReceived(badge.id)).toEqual([]);
      expect(await storeView(store.id, owner)).toMatchObject({
        status: 'ACTIVE',
        activeStrikes: 1,
        badges: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }],
      });

      // Strike 2: the badges are suspended and come back by themselves.
      const second = await decideCounterfeit(store.id, { brandId: brands[0]!.id, on: shortSuspension });
      strikes.push(second);
      const suspended = await badgesReach(storeRowId, ['SUSPENDED', 'SUSPENDED']);
      expect((await outgoing(second.rowId)).signals).toEqual(['suspendBadge', 'suspendBadge']);
      const suspendedUntil = suspended[0]!.suspendedUntil!.getTime();
      expect(suspendedUntil - second.decidedAt).toBeGreaterThanOrEqual(SHORT_SUSPENSION_SECONDS * 1000 - 500);
      expect(suspendedUntil - second.decidedAt).toBeLessThan(SHORT_SUSPENSION_SECONDS * 1000 + 5_000);
      expect(await storeView(store.id, owner)).toMatchObject({
        status: 'ACTIVE',
        activeStrikes: 2,
        badges: [{ status: 'SUSPENDED' }, { status: 'SUSPENDED' }],
      });

      const restored = await badgesReach(storeRowId, ['ACTIVE', 'ACTIVE'], SHORT_SUSPENSION_SECONDS * 1000 + 15_000);
      for (const badge of restored) {
        expect(badge.suspendedUntil).toBeNull();
        expect(badge.updatedAt.getTime()).toBeGreaterThanOrEqual(suspendedUntil - 100);
        expect(badge.updatedAt.getTime() - suspendedUntil).toBeLessThan(5_000);
      }

      // Strike 3: the badges are revoked for good and the store is suspended.
      strikes.push(await decideCounterfeit(store.id, { brandId: brands[1]!.id, on: shortSuspension }));
      await expect
        .poll(async () => (await stack.db.store.findUniqueOrThrow({ where: { id: storeRowId } })).status, {
          timeout: 15_000,
          interval: 100,
        })
        .toBe('SUSPENDED');
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
      await expect.poll(() => events.received.length, { timeout: 10_000, interval: 100 }).toBe(6);
      for (const badge of revoked.badges) {
        expect(events.received.filter((e) => e.id === badge.id).map((e) => e.status)).toEqual(['SUSPENDED', 'ACTIVE', 'REVOKED']);
      }
    } finally {
      await events.close();
    }
  }, 120_000);
});

describe('an appeal that overturns a COUNTERFEIT verdict', () => {
  it('rescinds the warning, lifts the strike-2 suspension and keeps the coupon', async () => {
    await workerWith();
    const { store, storeRowId, brands } = await storeWithBadges(1);
    const first = await decideCounterfeit(store.id, { brandId: brands[0]!.id });
    await waitForCoupon(first.rowId);
    const overturned = await decideCounterfeit(store.id, { brandId: brands[0]!.id });
    const coupon = await waitForCoupon(overturned.rowId);
    const [suspended] = await badgesReach(storeRowId, ['SUSPENDED']);
    // The default suspension of 30 days: only the appeal can lift it while the test runs.
    expect(suspended!.suspendedUntil!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await storeView(store.id, owner)).activeStrikes).toBe(2);

    const appealed = await step(stack, APPEAL_DECISION, owner, {
      complaintId: overturned.id,
      reason: 'The invoice proves the stock is genuine.',
    });
    expect(appealed.status).toBe('APPEALED');
    await step(stack, CLAIM_COMPLAINT, secondReviewer, { complaintId: overturned.id });
    const closed = await step(stack, DECIDE_COMPLAINT, secondReviewer, {
      complaintId: overturned.id,
      verdict: 'NOT_COUNTERFEIT',
      note: 'The invoice checks out.',
    });
    expect(closed.status).toBe('CLOSED');

    const restored = await badgesReach(storeRowId, ['ACTIVE']);
    expect(restored.map((b) => ({ status: b.status, suspendedUntil: b.suspendedUntil }))).toEqual([
      { status: 'ACTIVE', suspendedUntil: null },
    ]);
    const view = await storeView(store.id, owner);
    expect(view).toMatchObject({ status: 'ACTIVE', activeStrikes: 1, badges: [{ status: 'ACTIVE' }] });
    expect(view.warnings.find((w) => w.complaint.id === overturned.id)).toMatchObject({ strikeNumber: 2, rescindedAt: expect.any(String) });
    expect(view.warnings.find((w) => w.complaint.id === first.id)).toMatchObject({ strikeNumber: 1, rescindedAt: null });

    // The coupon stays with the consumer.
    const complaint = await stack.gql(COMPLAINT_BY_ID, { id: overturned.id }, { token: consumer.token });
    expect(complaint.body.data.node).toMatchObject({ status: 'CLOSED', verdict: 'NOT_COUNTERFEIT', coupon: { code: coupon.code } });
    expect(await stack.db.coupon.count({ where: { complaintId: overturned.rowId } })).toBe(1);
  }, 120_000);
});
