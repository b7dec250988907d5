// From decideComplaint returning a COUNTERFEIT decision to the consumer's coupon
// existing (the coupon is issued by an activity of the complaint's workflow),
// and how long the coupon takes when the worker running that activity is killed.
// Run: `tsx test/bench/decision-to-coupon.bench.ts [runs] [crash runs]`.
import { complaintWorkflowId } from '../../workflows/complaint.workflow.js';
import {
  CLAIM_COMPLAINT,
  DECIDE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  addPhoto,
  fileComplaint,
  send,
} from '../support/complaint-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';
import { ensureWorkflowBundle, median, quietTemporal, report, runBench, sample, summarize, until } from './bench-support.js';

const runs = Number(process.argv[2] ?? 10);
const crashRuns = Number(process.argv[3] ?? 1);
const PENDING_ACTIVITY_STATE_STARTED = 2;

async function step(stack: Stack, mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(stack, mutation, who, input);
  if (!payload || payload.userErrors.length > 0) throw new Error(`step failed: ${JSON.stringify(res.body)}`);
}

await runBench(async () => {
  quietTemporal();
  await ensureWorkflowBundle();
  const stack = await startStack();
  try {
    const reviewer = await actor(stack, 'bench-reviewer', ['REVIEWER']);

    /** Takes a fresh complaint to a COUNTERFEIT decision; resolves when decideComplaint has returned. */
    async function decideCounterfeit() {
      // Parties of its own each time: a third strike suspends a merchant's stores, and a consumer has few open complaints.
      const [owner, consumer] = await Promise.all([
        actor(stack, 'bench-owner', ['MERCHANT']),
        actor(stack, 'bench-consumer', ['CONSUMER']),
      ]);
      const store = await createStore(stack, owner);
      const filed = await fileComplaint(stack, consumer, store.id);
      const added = await addPhoto(stack, consumer, filed.id);
      if (added.body.data?.addEvidence.userErrors.length !== 0) throw new Error(`addEvidence failed: ${JSON.stringify(added.body)}`);
      await step(stack, SUBMIT_COMPLAINT, consumer, { complaintId: filed.id });
      await step(stack, RESPOND_TO_COMPLAINT, owner, { complaintId: filed.id, statement: 'Our stock comes from the brand.' });
      await step(stack, CLAIM_COMPLAINT, reviewer, { complaintId: filed.id });
      await step(stack, DECIDE_COMPLAINT, reviewer, { complaintId: filed.id, verdict: 'COUNTERFEIT', note: 'The logo does not match.' });
      return rowId(filed.id);
    }
    const coupon = (complaintId: string, interval: number, timeout = 20_000) =>
      until(() => stack.db.coupon.findUnique({ where: { complaintId } }), { timeout, interval });

    const worker = await stack.startWorker();
    const latency = await sample(runs, async () => {
      const complaintId = await decideCounterfeit();
      const decided = performance.now();
      await coupon(complaintId, 5);
      return performance.now() - decided;
    });
    await worker.stop();

    // The coupon activity starts on a worker process that pauses in it and is then killed; another worker takes over.
    const recovery = await sample(
      crashRuns,
      async () => {
        const doomed = await stack.startWorkerProcess({ couponDelayMs: 4_000 });
        const complaintId = await decideCounterfeit();
        const handle = stack.runtime.temporal.client.workflow.getHandle(complaintWorkflowId(complaintId));
        await until(
          async () =>
            (await handle.describe()).raw.pendingActivities?.find(
              (a) => a.activityType?.name === 'issueCoupon' && a.state === PENDING_ACTIVITY_STATE_STARTED,
            ),
          { timeout: 15_000, interval: 50 },
        );
        await doomed.kill('SIGKILL');
        const killed = performance.now();
        const replacement = await stack.startWorker();
        await coupon(complaintId, 100, 100_000);
        const seconds = (performance.now() - killed) / 1000;
        await replacement.stop();
        return seconds;
      },
      0,
    );

    const p50 = median(latency);
    const path = 'decision → coupon';
    report(
      'decision-to-coupon',
      [
        summarize('decideComplaint returned → coupon exists', latency),
        summarize('worker killed in issueCoupon → coupon exists', recovery, 's'),
      ],
      {
        paths: [
          {
            path,
            subject: 'service',
            unit: 'decision',
            reqPerSec: null,
            p50: Math.round(p50),
            p99: Math.round(Math.max(...latency)),
            cpuMsPerRequest: null,
          },
        ],
        targets: [{ path, goal: 'p50 < 1 s', measured: `${Math.round(p50)} ms`, met: p50 < 1000 }],
      },
    );
  } finally {
    await stack.close();
  }
});
