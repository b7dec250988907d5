import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photo } from '../support/complaint-operations.js';
import {
  JOURNEY_ACTIONS,
  activityCompletedAt,
  completedAttempt,
  fileJourney,
  journeyOutcome,
  journeyResult,
  takeAction,
  takeActions,
  waitForCoupon,
  type Journey,
  type JourneyAction,
  type Reviewers,
} from '../support/complaint-journey.js';
import type { HeldActivity, PauseRule } from '../support/faults.js';
import { startStack, type Stack } from '../support/stack.js';
import { actor } from '../support/store-operations.js';

// A worker process dies in the middle of each step of a complaint that writes.
// Every step is taken by a complaint of its own, all at once on one worker
// process that holds each of them inside its step's activity: once all are
// held the process is killed, a new worker takes over, and each complaint is
// taken to its end. Each must end exactly like a complaint nothing happened
// to: the same status, verdict and timeline (nothing lost, nothing twice),
// one warning and one coupon.
//
// A step is held either before its activity writes anything, or after its
// writes are committed but before the worker could report them, when the
// retry meets its own earlier writes.

interface FaultStep {
  name: string;
  /** The client's step that sets it off. */
  trigger: JourneyAction;
  activity: string;
  /** For applyTransition: the timeline event it writes. */
  event?: string;
}

const STEPS: FaultStep[] = [
  { name: 'submit', trigger: 'submit', activity: 'applyTransition', event: 'SUBMITTED' },
  { name: 'merchant response', trigger: 'respond', activity: 'applyTransition', event: 'MERCHANT_RESPONDED' },
  { name: 'claim', trigger: 'claim', activity: 'applyTransition', event: 'CLAIMED' },
  { name: 'decision', trigger: 'decide', activity: 'applyTransition', event: 'DECIDED' },
  { name: 'warning', trigger: 'decide', activity: 'issueWarning' },
  { name: 'coupon', trigger: 'decide', activity: 'issueCoupon' },
  { name: 'appeal', trigger: 'appeal', activity: 'applyTransition', event: 'APPEALED' },
  { name: 'appeal decision', trigger: 'decideAppeal', activity: 'applyTransition', event: 'APPEAL_DECIDED' },
];

interface Case {
  step: FaultStep;
  at: 'start' | 'end';
  journey: Journey;
  rule: PauseRule;
  held?: HeldActivity;
  triggered?: Promise<void>;
}

let stack: Stack;
let reviewers: Reviewers;
let evidence: File;

beforeAll(async () => {
  // Callers here wait through a crash: the killed step completes only after its activity times out.
  stack = await startStack({ config: { COMPLAINT_STEP_WAIT_SECONDS: '120' } });
  reviewers = { reviewer: await actor(stack, 'reviewer', ['REVIEWER']), appealReviewer: await actor(stack, 'reviewer-2', ['REVIEWER']) };
  evidence = await photo(7);
});

afterAll(async () => {
  await stack?.close();
});

/** What the held step has written so far: its timeline events, or its warning or coupon rows (each step's first in a journey). */
async function writesOf(c: Case): Promise<number> {
  const complaintId = c.journey.rowId;
  if (c.step.activity === 'issueWarning') return stack.db.warning.count({ where: { complaintId } });
  if (c.step.activity === 'issueCoupon') return stack.db.coupon.count({ where: { complaintId } });
  return stack.db.complaintEvent.count({ where: { complaintId, type: c.step.event! } });
}

describe('a worker killed in the middle of a complaint step', () => {
  it('leaves every complaint exactly as an undisturbed one: nothing lost, nothing twice', async () => {
    const before = await stack.startWorker();
    const baseline = await fileJourney(stack, evidence);
    const cases: Case[] = await Promise.all(
      STEPS.flatMap((step) =>
        (['start', 'end'] as const).map(async (at) => {
          const journey = await fileJourney(stack, evidence);
          const args = step.event ? [{ complaintId: journey.rowId, event: { type: step.event } }] : [journey.rowId];
          return { step, at, journey, rule: { at, args } };
        }),
      ),
    );

    // Each complaint goes up to its step, and the undisturbed one to its end, on a healthy worker.
    await Promise.all([
      takeActions(stack, baseline, reviewers, 0).then(() => journeyResult(stack, baseline)),
      ...cases.map(async (c) => {
        const trigger = JOURNEY_ACTIONS.indexOf(c.step.trigger);
        await takeActions(stack, c.journey, reviewers, 0, trigger);
        // Nothing of an earlier step may still be running when the worker is swapped.
        if (trigger > JOURNEY_ACTIONS.indexOf('decide')) await waitForCoupon(stack, c.journey);
      }),
    ]);
    const expected = await journeyOutcome(stack, baseline);
    expect(expected).toMatchObject({ status: 'CLOSED', verdict: 'COUNTERFEIT', warnings: 1, coupons: 1 });
    const stepEvents = STEPS.flatMap((step) => step.event ?? []);
    expect(expected.timeline.filter((type) => stepEvents.includes(type))).toEqual([
      'SUBMITTED',
      'MERCHANT_RESPONDED',
      'CLAIMED',
      'DECIDED',
      'APPEALED',
      'CLAIMED',
      'APPEAL_DECIDED',
    ]);
    await before.stop();

    // One worker process, holding each complaint inside its step.
    const pause: Record<string, PauseRule[]> = {};
    for (const c of cases) (pause[c.step.activity] ??= []).push(c.rule);
    const doomed = await stack.startWorkerProcess({ pause });
    for (const c of cases) {
      c.triggered = takeAction(stack, c.journey, c.step.trigger, reviewers);
      // Awaited once the worker has been replaced; an Update held with its activity answers only then.
      c.triggered.catch(() => undefined);
    }
    await expect.poll(() => doomed.held.length, { timeout: 60_000, interval: 50 }).toBe(cases.length);
    for (const c of cases) {
      c.held = doomed.held.find((h) => h.workflowId === c.journey.workflowId);
      expect(c.held, `${c.step.name} (${c.at})`).toMatchObject({ activity: c.step.activity, at: c.at, attempt: 1 });
      // Held before its writes, the step has written nothing; held after them, it has written once.
      expect(await writesOf(c), `${c.step.name} (${c.at})`).toBe(c.at === 'start' ? 0 : 1);
    }
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();
    await stack.startWorker();

    // Each complaint picks up where it was and goes on to its end.
    await Promise.all(
      cases.map(async (c) => {
        await c.triggered;
        await takeActions(stack, c.journey, reviewers, JOURNEY_ACTIONS.indexOf(c.step.trigger) + 1);
        expect(await journeyResult(stack, c.journey)).toBe('CLOSED');
      }),
    );

    const catchUp: Record<string, number> = {};
    for (const c of cases) {
      const label = `${c.step.name} (${c.at})`;
      expect(await journeyOutcome(stack, c.journey), label).toEqual(expected);
      // The fault hit: the held attempt died with its worker, and the step completed on its retry.
      expect(await completedAttempt(stack, c.journey.workflowId, c.held!.activityId), label).toBe(2);
      catchUp[label] = (await activityCompletedAt(stack, c.journey.workflowId, c.held!.activityId))! - killedAt;
    }
    console.info(
      `Worker killed mid-step, a new one started at once: ms from the kill to the step's completion\n\n${JSON.stringify(catchUp, null, 2)}`,
    );
  }, 240_000);
});
