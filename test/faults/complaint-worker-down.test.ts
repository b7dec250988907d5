import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_COMPLAINT, SUBMIT_COMPLAINT, addPhoto, photo, send } from '../support/complaint-operations.js';
import { startStack, type Stack } from '../support/stack.js';
import { actor, createStore } from '../support/store-operations.js';

// No worker polls the complaints' task queue (all crashed, or a deploy gone
// wrong). Temporal holds what was sent; the caller is told within
// COMPLAINT_STEP_WAIT_SECONDS that the step may still go through, and it does
// once a worker is back, once.

const STEP_WAIT_SECONDS = 2;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ config: { COMPLAINT_STEP_WAIT_SECONDS: String(STEP_WAIT_SECONDS) } });
});

afterAll(async () => {
  await stack?.close();
});

describe('no worker running', () => {
  it('answers a filing SERVICE_UNAVAILABLE after the step wait, and the filing is made once when a worker starts', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const storeId = (await createStore(stack, merchant)).id;
    const complaintsOfConsumer = () => stack.db.complaint.findMany({ where: { consumer: { subject: consumer.subject } } });

    const startedAt = Date.now();
    const { res } = await send(stack, FILE_COMPLAINT, consumer, {
      storeId,
      orderReference: 'ORD-3001',
      description: 'The watch stopped on the first day.',
    });
    const waitedMs = Date.now() - startedAt;
    expect(res.status).toBe(503);
    expect(res.body.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
      { code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('may still go through') },
    ]);
    expect(waitedMs).toBeGreaterThanOrEqual(STEP_WAIT_SECONDS * 1000);
    expect(await complaintsOfConsumer()).toEqual([]);

    const workerStartedAt = Date.now();
    await stack.startWorker();
    // The filing the caller was told about goes through, once; the caller sees it among their complaints.
    await expect.poll(complaintsOfConsumer, { timeout: 30_000, interval: 100 }).toHaveLength(1);
    console.info(`worker started again: the held filing was made ${Date.now() - workerStartedAt} ms later`);
    const [complaint] = await complaintsOfConsumer();
    expect(complaint).toMatchObject({ status: 'AWAITING_EVIDENCE', orderReference: 'ORD-3001' });

    // It is a complaint like any other: it takes a photo and is submitted.
    const complaintId = Buffer.from(`Complaint:${complaint!.id}`).toString('base64');
    expect((await addPhoto(stack, consumer, complaintId, await photo(7))).body.data.addEvidence.userErrors).toEqual([]);
    const submitted = await send(stack, SUBMIT_COMPLAINT, consumer, { complaintId });
    expect(submitted.payload).toMatchObject({ userErrors: [], complaint: { status: 'AWAITING_MERCHANT_RESPONSE' } });
    expect(await complaintsOfConsumer()).toHaveLength(1);
  });
});
