import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
  type Reviewers,
} from '../support/complaint-journey.js';
import type { HeldActivity } from '../support/faults.js';
import { startStack, type Stack } from '../support/stack.js';
import { actor } from '../support/store-operations.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// The database drops the worker's connections while a decision is being
// written, and again while its warning and its coupon are: each time the
// activity's transaction dies half-way, the activity is retried, and the
// complaint ends with one decision, one warning and one coupon.
//
// Other test files share this database, so the worker's connections carry a
// name of their own and only those are terminated. To kill a transaction
// half-way rather than an idle connection, the test holds the complaint's row
// locked while it lets the activity go on, and terminates the worker's
// connections once one of them waits for that lock inside its transaction.

const APPEAL_WINDOW_SECONDS = 2;

let stack: Stack;
let reviewers: Reviewers;
let evidence: File;
let locker: pg.Client;
const applicationName = `complaint-faults-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  // Complaints filed here close by themselves soon after their decision.
  stack = await startStack({ config: { COMPLAINT_APPEAL_WINDOW_SECONDS: String(APPEAL_WINDOW_SECONDS) } });
  reviewers = { reviewer: await actor(stack, 'reviewer', ['REVIEWER']), appealReviewer: await actor(stack, 'reviewer-2', ['REVIEWER']) };
  evidence = await photo(11);
  locker = new pg.Client({ connectionString: stack.config.DATABASE_URL });
  await locker.connect();
});

afterAll(async () => {
  await locker?.end();
  await stack?.close();
});

function workerDatabaseUrl(): string {
  const url = new URL(stack.config.DATABASE_URL);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

/** The worker's connections whose transaction waits for a lock. */
const workerBackendsWaiting = async () =>
  Number(
    (
      await stack.db.$queryRaw<Array<{ count: bigint }>>`
        SELECT count(*) FROM pg_stat_activity WHERE application_name = ${applicationName} AND wait_event_type = 'Lock'`
    )[0]!.count,
  );

const terminateWorkerBackends = async () =>
  (
    await stack.db.$queryRaw<Array<{ terminated: boolean }>>`
      SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = ${applicationName}`
  ).filter((row) => row.terminated).length;

/**
 * Lets a held activity go on into its transaction, and terminates every
 * connection of the worker while that transaction waits on the complaint's row.
 * Returns how many were terminated.
 */
async function killMidTransaction(worker: WorkerProcess, held: HeldActivity, complaintRowId: string): Promise<number> {
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM "Complaint" WHERE id = $1 FOR UPDATE', [complaintRowId]);
  worker.release(held);
  await expect.poll(workerBackendsWaiting, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
  const terminated = await terminateWorkerBackends();
  await locker.query('ROLLBACK');
  return terminated;
}

describe('database connections terminated during a decision', () => {
  it('are replaced, and the decision, its warning and its coupon are each written once', async () => {
    const healthy = await stack.startWorker();
    const baseline = await fileJourney(stack, evidence);
    const journey = await fileJourney(stack, evidence);
    const decide = JOURNEY_ACTIONS.indexOf('decide');
    await Promise.all([
      takeActions(stack, baseline, reviewers, 0, decide + 1).then(() => journeyResult(stack, baseline)),
      takeActions(stack, journey, reviewers, 0, decide),
    ]);
    const expected = await journeyOutcome(stack, baseline);
    expect(expected).toMatchObject({ status: 'CLOSED', verdict: 'COUNTERFEIT', warnings: 1, coupons: 1 });
    await healthy.stop();

    const worker = await startWorkerProcess(
      stack.taskQueue,
      {
        pause: {
          applyTransition: { args: [{ complaintId: journey.rowId, event: { type: 'DECIDED' } }] },
          issueWarning: { args: [journey.rowId] },
          issueCoupon: { args: [journey.rowId] },
        },
      },
      { env: { DATABASE_URL: workerDatabaseUrl() } },
    );
    try {
      const decided = takeAction(stack, journey, 'decide', reviewers);
      decided.catch(() => undefined);
      const catchUp: Record<string, number> = {};
      for (const activity of ['applyTransition', 'issueWarning', 'issueCoupon']) {
        const held = await vi.waitFor(
          () => {
            const found = worker.held.find((h) => h.activity === activity);
            if (!found) throw new Error(`${activity} is not held yet`);
            return found;
          },
          { timeout: 30_000, interval: 50 },
        );
        const terminated = await killMidTransaction(worker, held, journey.rowId);
        const killedAt = Date.now();
        expect(terminated).toBeGreaterThan(0);
        await expect
          .poll(() => activityCompletedAt(stack, journey.workflowId, held.activityId), { timeout: 30_000, interval: 100 })
          .toBeDefined();
        // The attempt whose transaction was cut failed; the retry wrote.
        expect(await completedAttempt(stack, journey.workflowId, held.activityId)).toBe(2);
        catchUp[activity] = (await activityCompletedAt(stack, journey.workflowId, held.activityId))! - killedAt;
      }
      await decided;
      expect(await journeyResult(stack, journey)).toBe('CLOSED');
      const outcome = await journeyOutcome(stack, journey);
      expect(outcome).toEqual(expected);
      expect(outcome.timeline.filter((type) => type === 'DECIDED')).toEqual(['DECIDED']);
      expect(outcome).toMatchObject({ warnings: 1, coupons: 1 });
      console.info(
        `Database connections terminated mid-transaction: ms from the kill to the activity's completion\n${JSON.stringify(catchUp, null, 2)}`,
      );
    } finally {
      await worker.kill('SIGTERM');
    }
  }, 120_000);
});
