import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photo, send } from '../support/complaint-operations.js';
import { startStack, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// A step whose caller asks only for the complaint's id and status (or a
// photo's id) is answered from what the step knows; asked for more, it reads
// the complaint again. Either way the answer is the complaint as it now is.

let stack: Stack;
let consumer: Actor;
let merchant: Actor;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  consumer = await actor(stack, 'consumer', ['CONSUMER']);
  merchant = await actor(stack, 'merchant', ['MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const lean = (name: string, input: string) =>
  `mutation ($input: ${input}!) { ${name}(input: $input) { complaint { __typename id status } userErrors { code } } }`;
const LEAN_ADD_EVIDENCE = `mutation ($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id } userErrors { code } } }`;
const AS_READ = `query ($id: ID!) { node(id: $id) { ... on Complaint { id status merchantStatement evidence { id } } } }`;

/** The API's statements that read a complaint's or a photo's row through Prisma, as the answer after a step does. */
const rowReads = () => stack.sql.filter((sql) => /FROM "public"\."(Complaint|Evidence)"/.test(sql));

async function asRead(id: string) {
  const res = await stack.gql(AS_READ, { id }, { token: consumer.token });
  return res.body.data.node as { id: string; status: string; merchantStatement: string | null; evidence: Array<{ id: string }> };
}

async function leanStep(mutation: string, who: Actor, input: Record<string, unknown>) {
  stack.sql.length = 0;
  const { res, payload } = await send(stack, mutation, who, input);
  expect(payload?.userErrors, JSON.stringify(res.body)).toEqual([]);
  expect(rowReads()).toEqual([]);
  return payload.complaint as { __typename: string; id: string; status: string };
}

describe('a step asked only for id and status', () => {
  it('answers with the status the complaint is in, without reading its row again', async () => {
    const store = await createStore(stack, merchant);
    const filed = await leanStep(lean('fileComplaint', 'FileComplaintInput'), consumer, {
      storeId: store.id,
      orderReference: 'ORD-7',
      description: 'The wallet arrived with a crooked logo.',
    });
    expect(filed).toEqual({ __typename: 'Complaint', id: expect.any(String), status: 'AWAITING_EVIDENCE' });
    expect(await asRead(filed.id)).toMatchObject({ id: filed.id, status: 'AWAITING_EVIDENCE' });

    stack.sql.length = 0;
    const added = await stack.gql(
      LEAN_ADD_EVIDENCE,
      { input: { complaintId: filed.id, photo: null } },
      { token: consumer.token, files: { 'input.photo': await photo(7) } },
    );
    expect(added.body.data.addEvidence.userErrors).toEqual([]);
    expect(stack.sql.filter((sql) => /FROM "public"\."Evidence"/.test(sql))).toEqual([]);
    expect((await asRead(filed.id)).evidence).toEqual([{ id: added.body.data.addEvidence.evidence.id }]);

    const submitted = await leanStep(lean('submitComplaint', 'ComplaintRefInput'), consumer, { complaintId: filed.id });
    expect(submitted).toEqual({ __typename: 'Complaint', id: filed.id, status: 'AWAITING_MERCHANT_RESPONSE' });
    const responded = await leanStep(lean('respondToComplaint', 'RespondToComplaintInput'), merchant, {
      complaintId: filed.id,
      statement: 'Bought from the brand.',
    });
    expect(responded.status).toBe('UNDER_REVIEW');
    const claimed = await leanStep(lean('claimComplaint', 'ComplaintRefInput'), reviewer, { complaintId: filed.id });
    expect(claimed.status).toBe('UNDER_REVIEW');
    const decided = await leanStep(lean('decideComplaint', 'DecideComplaintInput'), reviewer, {
      complaintId: filed.id,
      verdict: 'NOT_COUNTERFEIT',
      note: 'The logo matches.',
    });
    expect(decided).toEqual({ __typename: 'Complaint', id: filed.id, status: 'DECIDED' });
    expect(await asRead(filed.id)).toMatchObject({ status: 'DECIDED', merchantStatement: 'Bought from the brand.' });
  });
});

describe('a step asked for more than id and status', () => {
  it('reads the complaint again, whether the fields are asked directly, under an alias or through a fragment', async () => {
    const store = await createStore(stack, merchant);
    const filed = await leanStep(lean('fileComplaint', 'FileComplaintInput'), consumer, {
      storeId: store.id,
      orderReference: 'ORD-8',
      description: 'The belt arrived with a misspelt tag.',
    });
    const added = await stack.gql(
      `mutation ($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id ... on Evidence { width } } userErrors { code } } }`,
      { input: { complaintId: filed.id, photo: null } },
      { token: consumer.token, files: { 'input.photo': await photo(8, 640, 480) } },
    );
    expect(added.body.data.addEvidence).toEqual({ evidence: { id: expect.any(String), width: 640 }, userErrors: [] });

    const submitted = await send(
      stack,
      `mutation ($input: ComplaintRefInput!) { submitComplaint(input: $input) { c: complaint { s: status deadlines { merchantResponseDueAt } } userErrors { code } } }`,
      consumer,
      { complaintId: filed.id },
    );
    expect(submitted.payload.c.s).toBe('AWAITING_MERCHANT_RESPONSE');
    expect(Date.parse(submitted.payload.c.deadlines.merchantResponseDueAt)).toBeGreaterThan(Date.now());

    stack.sql.length = 0;
    const responded = await send(
      stack,
      `mutation ($input: RespondToComplaintInput!) { respondToComplaint(input: $input) { complaint { id ...Answer } userErrors { code } } }
       fragment Answer on Complaint { status merchantStatement }`,
      merchant,
      { complaintId: filed.id, statement: 'Sourced from the brand.' },
    );
    expect(responded.payload).toEqual({
      complaint: { id: filed.id, status: 'UNDER_REVIEW', merchantStatement: 'Sourced from the brand.' },
      userErrors: [],
    });
    expect(rowReads()).not.toEqual([]);
  });
});
