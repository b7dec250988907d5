import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_FILE_BY_ID, DECIDE_COMPLAINT, REQUEST_COMPLAINT_INFORMATION, photo, send } from '../support/complaint-operations.js';
import { caseUnderReview } from '../support/complaint-journey.js';
import { startStack, type Stack } from '../support/stack.js';
import { actor, type Actor } from '../support/store-operations.js';
import type { WorkerProcess } from '../support/worker-process.js';

// A deadline's change commits its write before the workflow learns it is done.
// A reviewer who reads the complaint in between sees the deadline passed and
// acts on it; the workflow must take that step once the change is through,
// not refuse it against the state the change is about to leave.
//
// The worker holds the expiry of a request for more information after its
// write is committed and before the worker reports it, which is that moment
// stretched out.

let stack: Stack;
let worker: WorkerProcess;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ config: { COMPLAINT_INFORMATION_WINDOW_SECONDS: '2' } });
  worker = await stack.startWorkerProcess({
    pause: { closeInformationRequest: { at: 'end', args: [{ event: { type: 'INFORMATION_REQUEST_EXPIRED' } }] } },
  });
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

async function accepted(mutation: string, who: Actor, input: Record<string, unknown>) {
  const { res, payload } = await send(stack, mutation, who, input);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(payload.userErrors).toEqual([]);
  return payload;
}

/** Updates the workflow has taken in so far, as its history records them. */
async function acceptedUpdates(workflowId: string): Promise<number> {
  const history = await stack.runtime.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length;
}

describe('a decision sent while an expiry is being recorded', () => {
  it('waits for the expiry and is applied', async () => {
    const journey = await caseUnderReview(stack, reviewer, await photo(3));
    const { complaintId, workflowId } = journey;
    await accepted(REQUEST_COMPLAINT_INFORMATION, reviewer, { complaintId, side: 'MERCHANT', note: 'The invoice, please.' });
    const updatesBefore = await acceptedUpdates(workflowId);
    expect(updatesBefore).toBeGreaterThan(0);

    await expect.poll(() => worker.held.length, { timeout: 30_000, interval: 50 }).toBe(1);
    const [held] = worker.held;
    expect(held).toMatchObject({ activity: 'closeInformationRequest', at: 'end', workflowId });
    // What the reviewer reads: the request expired, review goes on.
    const file = await stack.gql(CASE_FILE_BY_ID, { id: complaintId }, { token: reviewer.token });
    expect(file.body.errors).toBeUndefined();
    expect(file.body.data.node.timeline.at(-1).type).toBe('INFORMATION_REQUEST_EXPIRED');
    expect(file.body.data.node.informationRequests[0]).toMatchObject({ open: false });

    let answered = false;
    const decision = send(stack, DECIDE_COMPLAINT, reviewer, { complaintId, verdict: 'INSUFFICIENT_EVIDENCE', note: 'Nothing came.' });
    void decision.then(() => (answered = true));
    // The workflow takes the decision in (it is not refused up front) while the expiry is still held.
    await expect
      .poll(
        async () => {
          if (answered) return 'answered before the expiry was through';
          return (await acceptedUpdates(workflowId)) > updatesBefore ? 'taken in' : 'not yet';
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe('taken in');
    expect(answered).toBe(false);

    worker.release(held!);
    const { res, payload } = await decision;
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    expect(payload.userErrors).toEqual([]);
    expect(payload.complaint).toMatchObject({ status: 'DECIDED' });
    const decided = await stack.gql(CASE_FILE_BY_ID, { id: complaintId }, { token: reviewer.token });
    expect(decided.body.data.node.timeline.slice(-2).map((event: { type: string }) => event.type)).toEqual([
      'INFORMATION_REQUEST_EXPIRED',
      'DECIDED',
    ]);
  }, 90_000);
});
