import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FILE_COMPLAINT, RESPOND_TO_COMPLAINT, SUBMIT_COMPLAINT, addPhoto, photo, send } from '../support/complaint-operations.js';
import { startPrivateTemporal, type PrivateTemporal } from '../support/private-servers.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// Temporal, which runs every complaint, stops and starts again. While it is
// down a client gets a clear answer (SERVICE_UNAVAILABLE: nothing was done,
// send it again) and nothing is half-made; once it is back the same request
// succeeds once, and complaints that were waiting go on, their deadlines too.
//
// The server is this file's own, so stopping it touches no other test.

const MERCHANT_WINDOW_SECONDS = 4;
const REVIEW_SLA_SECONDS = 2;

let temporal: PrivateTemporal;
/** Files complaints whose merchant window and review deadline are seconds long. */
let stack: Stack;
/** The same API on the same Temporal and task queue, with the default windows of days. */
let patient: Stack;
let evidence: File;

beforeAll(async () => {
  temporal = await startPrivateTemporal();
  stack = await startStack({
    config: {
      TEMPORAL_ADDRESS: temporal.address,
      COMPLAINT_MERCHANT_WINDOW_SECONDS: String(MERCHANT_WINDOW_SECONDS),
      COMPLAINT_REVIEW_SLA_SECONDS: String(REVIEW_SLA_SECONDS),
    },
  });
  patient = await startStack({ config: { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: stack.taskQueue } });
  await stack.startWorker();
  evidence = await photo(5);
});

afterAll(async () => {
  await patient?.close();
  await stack?.close();
  await temporal?.dispose();
});

const FILING = { orderReference: 'ORD-2001', description: 'The scarf arrived with a crooked logo.' };

interface Parties {
  consumer: Actor;
  merchant: Actor;
  storeId: string;
}

async function parties(on: Stack): Promise<Parties> {
  const consumer = await actor(on, 'consumer', ['CONSUMER']);
  const merchant = await actor(on, 'merchant', ['MERCHANT']);
  return { consumer, merchant, storeId: (await createStore(on, merchant)).id };
}

const complaintsOf = (consumer: Actor) => stack.db.complaint.findMany({ where: { consumer: { subject: consumer.subject } } });

/** A complaint filed, with a photo, and submitted: it waits for the merchant. */
async function waitingForMerchant(on: Stack, { consumer, storeId }: Parties) {
  const { payload } = await send(on, FILE_COMPLAINT, consumer, { storeId, ...FILING });
  const complaintId = payload.complaint.id as string;
  expect((await addPhoto(on, consumer, complaintId, evidence)).body.data.addEvidence.userErrors).toEqual([]);
  const submitted = await send(on, SUBMIT_COMPLAINT, consumer, { complaintId });
  expect(submitted.payload).toMatchObject({ userErrors: [], complaint: { status: 'AWAITING_MERCHANT_RESPONSE' } });
  return { complaintId, rowId: rowId(complaintId) };
}

// The timeline events of the steps these tests take (a timeline may hold others, such as photos added).
const STEP_EVENTS = ['FILED', 'SUBMITTED', 'MERCHANT_RESPONDED', 'RESPONSE_WINDOW_CLOSED', 'ESCALATED'];
const eventsOf = async (complaintRowId: string) =>
  (
    await stack.db.complaintEvent.findMany({ where: { complaintId: complaintRowId, type: { in: STEP_EVENTS } }, orderBy: { at: 'asc' } })
  ).map((e) => ({ type: e.type, at: e.at }));

/** Sends `request` and returns its answer with the time the caller waited for it. */
async function timed<T>(request: () => Promise<T>): Promise<{ answer: T; waitedMs: number }> {
  const startedAt = Date.now();
  const answer = await request();
  return { answer, waitedMs: Date.now() - startedAt };
}

const catchUp: Record<string, number> = {};

afterAll(() => {
  if (Object.keys(catchUp).length > 0) console.info(`Temporal stopped and started again: ms\n${JSON.stringify(catchUp, null, 2)}`);
});

describe('Temporal stopped', () => {
  it('during a filing: the caller is told the service is unavailable, no complaint is left, and the same filing succeeds once Temporal is back', async () => {
    const filer = await parties(stack);
    await temporal.stop();
    let restarted = false;
    try {
      const { answer: refused, waitedMs } = await timed(() =>
        send(stack, FILE_COMPLAINT, filer.consumer, { storeId: filer.storeId, ...FILING }),
      );
      catchUp['filing refused while down (caller waited)'] = waitedMs;
      expect(refused.res.body.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(refused.res.status).toBe(503);
      expect(await complaintsOf(filer.consumer)).toEqual([]);

      await temporal.start();
      restarted = true;
      const { answer: filed, waitedMs: filedMs } = await timed(() =>
        send(stack, FILE_COMPLAINT, filer.consumer, { storeId: filer.storeId, ...FILING }),
      );
      catchUp['filing after restart (caller waited)'] = filedMs;
      expect(filed.res.body.errors).toBeUndefined();
      expect(filed.payload).toMatchObject({ userErrors: [], complaint: { status: 'AWAITING_EVIDENCE' } });
      expect(await complaintsOf(filer.consumer)).toHaveLength(1);
      // Its workflow runs: the complaint takes its photo and is submitted.
      const complaintId = filed.payload.complaint.id as string;
      expect((await addPhoto(stack, filer.consumer, complaintId, evidence)).body.data.addEvidence.userErrors).toEqual([]);
      const submitted = await send(stack, SUBMIT_COMPLAINT, filer.consumer, { complaintId });
      expect(submitted.payload).toMatchObject({ userErrors: [], complaint: { status: 'AWAITING_MERCHANT_RESPONSE' } });
    } finally {
      if (!restarted) await temporal.start();
    }
  }, 180_000);

  it('while complaints wait for the merchant: an answer gets a clear error, and afterwards the complaints go on and their deadlines fire', async () => {
    // One complaint whose merchant window closes during the outage, one whose window stays open.
    const short = await waitingForMerchant(stack, await parties(stack));
    const long = await parties(patient);
    const answered = await waitingForMerchant(patient, long);
    const dueAt = (await stack.db.complaint.findUniqueOrThrow({ where: { id: short.rowId } })).merchantResponseDueAt!.getTime();

    await temporal.stop();
    let restarted = false;
    try {
      const statement = { complaintId: answered.complaintId, statement: 'Our stock comes from the brand.' };
      const { answer: refused, waitedMs } = await timed(() => send(patient, RESPOND_TO_COMPLAINT, long.merchant, statement));
      catchUp['answer refused while down (caller waited)'] = waitedMs;
      expect(refused.res.body.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(refused.res.status).toBe(503);
      expect((await stack.db.complaint.findUniqueOrThrow({ where: { id: answered.rowId } })).status).toBe('AWAITING_MERCHANT_RESPONSE');

      // The short window's deadline passes while Temporal is down.
      await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(dueAt), { timeout: MERCHANT_WINDOW_SECONDS * 1000 + 5_000, interval: 100 });
      const restartedAt = Date.now();
      await temporal.start();
      restarted = true;

      // The overdue deadline fires once Temporal is back, and the review deadline after it, each in its turn
      // (a review deadline that passes escalates the complaint and starts again).
      const escalations = async () => (await eventsOf(short.rowId)).filter((e) => e.type === 'ESCALATED').length;
      await expect.poll(escalations, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      const events = await eventsOf(short.rowId);
      expect(events.map((e) => e.type).slice(0, 5)).toEqual(['FILED', 'SUBMITTED', 'RESPONSE_WINDOW_CLOSED', 'ESCALATED', 'ESCALATED']);
      const [closed, ...escalated] = events.slice(2).map((e) => e.at.getTime());
      catchUp['overdue merchant deadline fired, from the restart command'] = closed! - restartedAt;
      for (const [i, at] of escalated.entries()) {
        expect(at - (i === 0 ? closed! : escalated[i - 1]!)).toBeGreaterThanOrEqual(REVIEW_SLA_SECONDS * 1000 - 100);
      }

      // The answer that was refused goes through when sent again, once.
      const { answer: accepted, waitedMs: acceptedMs } = await timed(() => send(patient, RESPOND_TO_COMPLAINT, long.merchant, statement));
      catchUp['answer accepted after restart (caller waited)'] = acceptedMs;
      expect(accepted.res.body.errors).toBeUndefined();
      expect(accepted.payload).toMatchObject({ userErrors: [], complaint: { status: 'UNDER_REVIEW' } });
      expect((await eventsOf(answered.rowId)).map((e) => e.type)).toEqual(['FILED', 'SUBMITTED', 'MERCHANT_RESPONDED']);
    } finally {
      if (!restarted) await temporal.start();
    }
  }, 180_000);
});
