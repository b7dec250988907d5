import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_COMPLAINT, SUBMIT_COMPLAINT, addPhoto, fileComplaint, photo, send } from '../support/complaint-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { EVIDENCE_PREFIXES, objectKeys, strayObjects } from '../support/stored-objects.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';
import { writeFiling } from '../../src/services/complaint-transitions.js';
import { complaintStateQuery } from '../../workflows/complaint-messages.js';
import { complaintWorkflowId } from '../../workflows/complaint.workflow.js';

// Filing and photos go through the complaint's workflow: the filing starts it
// and is written (or refused) by it, and a photo counts only if the workflow
// takes it when its turn comes.

let stack: Stack;
let merchant: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true, config: { OPEN_COMPLAINTS_MAX_PER_CONSUMER: '1' } });
  merchant = await actor(stack, 'merchant', ['MERCHANT']);
});

afterAll(async () => {
  await stack?.close();
});

const fileInput = (storeId: string) => ({
  storeId,
  orderReference: unique('ORD'),
  description: 'The scarf arrived with a misprinted label.',
});

/** The complaint workflows of this file's task queue that are still running. */
async function runningWorkflows(): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of stack.runtime.temporal.client.workflow.list({
    query: `TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH 'complaint-'`,
  }))
    ids.push(execution.workflowId);
  return ids.sort();
}

/** Complaint workflows of this file's task queue that ended, with their result. */
async function closedWorkflows(): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of stack.runtime.temporal.client.workflow.list({
    query: `TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Completed' AND WorkflowId STARTS_WITH 'complaint-'`,
  }))
    ids.push(execution.workflowId);
  return ids;
}

describe('filing over the open-complaints cap', () => {
  it('is refused with the same userError as before, leaves no complaint and no running workflow', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const store = await createStore(stack, merchant);
    const first = await fileComplaint(stack, consumer, store.id);
    const closedBefore = (await closedWorkflows()).length;

    const res = await stack.gql(FILE_COMPLAINT, { input: fileInput(store.id) }, { token: consumer.token });
    expect(res.body).toEqual({
      data: {
        fileComplaint: {
          complaint: null,
          userErrors: [
            {
              code: 'LIMIT_EXCEEDED',
              field: ['input', 'storeId'],
              message: 'You have 1 open complaints, the most at once; file this one when one of them is decided, withdrawn or expired.',
            },
          ],
        },
      },
    });
    const rows = await stack.db.complaint.findMany({ where: { consumer: { subject: consumer.subject } }, include: { events: true } });
    expect(rows.map((c) => c.id)).toEqual([rowId(first.id)]);
    expect(rows.flatMap((c) => c.events.map((e) => e.type))).toEqual(['FILED']);

    // The refused filing's workflow ended by itself; only the filed complaint's runs on.
    await expect.poll(runningWorkflows, { timeout: 15_000, interval: 200 }).toEqual([complaintWorkflowId(rowId(first.id))]);
    await expect.poll(async () => (await closedWorkflows()).length, { timeout: 15_000, interval: 200 }).toBe(closedBefore + 1);
  });
});

describe('a filing written again, as an activity retried after its commit writes it', () => {
  it('finds its complaint, at the cap as it now is, and writes nothing twice', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const filed = await fileComplaint(stack, consumer, (await createStore(stack, merchant)).id);
    const row = await stack.db.complaint.findUniqueOrThrow({ where: { id: rowId(filed.id) } });
    const again = await writeFiling(stack.db, {
      complaintId: row.id,
      consumerId: row.consumerId,
      storeId: row.storeId,
      brandId: row.brandId,
      orderReference: row.orderReference,
      description: row.description,
      filedAt: row.createdAt.toISOString(),
      evidenceDueAt: row.evidenceDueAt!.toISOString(),
      maxOpen: 1,
    });
    expect(again).toBe(true);
    const rows = await stack.db.complaint.findMany({ where: { consumerId: row.consumerId }, include: { events: true } });
    expect(rows.map((c) => [c.id, c.events.map((e) => e.type)])).toEqual([[row.id, ['FILED']]]);
    expect(await stack.db.webhookEvent.count({ where: { type: 'COMPLAINT_FILED', body: { contains: filed.id } } })).toBe(1);
  });
});

describe('a photo racing the submission', () => {
  it('either counts or is refused, and never leaves a row or an object the workflow did not take', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const consumer = await actor(stack, 'consumer', ['CONSUMER']);
      const complaint = await fileComplaint(stack, consumer, (await createStore(stack, merchant)).id);
      expect((await addPhoto(stack, consumer, complaint.id, await photo(round + 1))).body.data.addEvidence.userErrors).toEqual([]);
      const keysBefore = await objectKeys(stack, EVIDENCE_PREFIXES);

      const [late, submitted] = await Promise.all([
        addPhoto(stack, consumer, complaint.id, await photo(round + 10)),
        send(stack, SUBMIT_COMPLAINT, consumer, { complaintId: complaint.id }),
      ]);
      expect(submitted.payload.userErrors).toEqual([]);
      const payload = late.body.data.addEvidence;
      const rows = await stack.db.evidence.findMany({ where: { complaintId: rowId(complaint.id) } });
      const state = await stack.runtime.temporal.client.workflow
        .getHandle(complaintWorkflowId(rowId(complaint.id)))
        .query(complaintStateQuery);
      if (payload.evidence) {
        outcomes.push('COUNTED');
        expect(payload.userErrors).toEqual([]);
        expect(rows.map((r) => r.id).sort()).toContain(rowId(payload.evidence.id));
        expect(rows).toHaveLength(2);
      } else {
        outcomes.push('REFUSED');
        expect(payload.userErrors).toEqual([
          {
            code: 'NOT_ALLOWED_IN_STATE',
            field: ['input', 'complaintId'],
            message: 'The complaint is AWAITING_MERCHANT_RESPONSE; consumer evidence is not accepted now.',
          },
        ]);
        expect(rows).toHaveLength(1);
      }
      // The workflow's count and the rows agree, and nothing was stored that no row owns.
      expect(state).toMatchObject({ status: 'AWAITING_MERCHANT_RESPONSE', evidence: { CONSUMER: rows.length } });
      expect(await strayObjects(stack, keysBefore, EVIDENCE_PREFIXES)).toEqual([]);
    }
    expect(outcomes).toHaveLength(4);
  });
});

describe('with Temporal out of reach', () => {
  let cut: Stack;
  beforeAll(async () => {
    // Nothing listens on this port: every call to Temporal fails to connect.
    cut = await startStack({ config: { TEMPORAL_ADDRESS: '127.0.0.1:9', TEMPORAL_TASK_QUEUE: stack.taskQueue } });
  });
  afterAll(async () => {
    await cut?.close();
  });

  it('filing answers SERVICE_UNAVAILABLE and writes nothing', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const store = await createStore(stack, merchant);
    const res = await cut.gql(FILE_COMPLAINT, { input: fileInput(store.id) }, { token: consumer.token });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ errors: [{ path: ['fileComplaint'], extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    expect(JSON.stringify(res.body)).not.toMatch(/grpc|14 UNAVAILABLE|at .*\.js/i);
    expect(await stack.db.complaint.count({ where: { consumer: { subject: consumer.subject } } })).toBe(0);
  }, 120_000);
});
