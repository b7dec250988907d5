import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addPhoto, fileComplaint, photo } from '../../support/complaint-operations.js';
import { rowId, startStack, type Stack } from '../../support/stack.js';
import { actor, createStore, type Actor } from '../../support/store-operations.js';

// One uploaded file runs through the photo pipeline once: a file mapped to
// several variables, or an operation running several upload mutations (one
// file mapped to 300 aliased addEvidence ran the pipeline 300 times), is
// refused with 400 before any photo is processed or stored.

let stack: Stack;
let consumer: Actor;
let complaintId: string;
let process: ReturnType<typeof vi.spyOn>;
let put: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  consumer = await actor(stack, 'consumer', ['CONSUMER']);
  const merchant = await actor(stack, 'merchant', ['MERCHANT']);
  complaintId = (await fileComplaint(stack, consumer, (await createStore(stack, merchant)).id)).id;
  process = vi.spyOn(stack.runtime.services.images, 'process');
  put = vi.spyOn(stack.runtime.services.storage, 'put');
});

beforeEach(() => {
  process.mockClear();
  put.mockClear();
});

afterAll(async () => {
  await stack?.close();
});

const evidenceCount = () => stack.db.evidence.count({ where: { complaintId: rowId(complaintId) } });

/** `count` aliased addEvidence, each with its own input variable. */
function aliasedUploads(count: number) {
  const names = Array.from({ length: count }, (_, i) => `e${i}`);
  return {
    query: `mutation (${names.map((n) => `$${n}: AddEvidenceInput!`).join(', ')}) { ${names
      .map((n) => `${n}: addEvidence(input: $${n}) { evidence { id } userErrors { code } }`)
      .join(' ')} }`,
    variables: Object.fromEntries(names.map((n) => [n, { complaintId, photo: null }])),
    paths: names.map((n) => `variables.${n}.photo`),
  };
}

/** A GraphQL multipart request with one file, mapped as given. */
async function postMultipart(operations: { query: string; variables: Record<string, unknown> }, map: Record<string, string[]>) {
  const form = new FormData();
  form.append('operations', JSON.stringify(operations));
  form.append('map', JSON.stringify(map));
  form.append('0', await photo(), 'photo.jpg');
  const response = await fetch(stack.endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${consumer.token}`, 'x-graphql-yoga-csrf': '1' },
    body: form,
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> },
  };
}

async function expectNothingProcessed(before: number) {
  expect(process).not.toHaveBeenCalled();
  expect(put).not.toHaveBeenCalled();
  expect(await evidenceCount()).toBe(before);
}

describe('one file, one use', () => {
  it.each([2, 300])('a file mapped to %i variables is refused before any photo is processed', async (count) => {
    const before = await evidenceCount();
    const { query, variables, paths } = aliasedUploads(count);
    const res = await postMultipart({ query, variables }, { 0: paths });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: `A file goes to exactly one variable; part "0" is mapped to ${count}.`,
          extensions: { code: 'LIMIT_EXCEEDED', limit: 'fileUses', max: 1, actual: count },
        },
      ],
    });
    await expectNothingProcessed(before);
  });

  it('an operation running addEvidence twice on one variable is refused, through aliases and fragments alike', async () => {
    const before = await evidenceCount();
    const twice = await postMultipart(
      {
        query:
          'mutation ($input: AddEvidenceInput!) { a: addEvidence(input: $input) { evidence { id } } b: addEvidence(input: $input) { evidence { id } } }',
        variables: { input: { complaintId, photo: null } },
      },
      { 0: ['variables.input.photo'] },
    );
    expect(twice.status).toBe(400);
    expect(twice.body).toEqual({
      errors: [
        {
          message: 'An operation runs at most one upload mutation; this one runs 2 (a, b).',
          extensions: { code: 'LIMIT_EXCEEDED', limit: 'uploadMutations', max: 1, actual: 2 },
        },
      ],
    });

    const throughFragment = await postMultipart(
      {
        query:
          'mutation ($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id } } ...again } fragment again on Mutation { again: addEvidence(input: $input) { evidence { id } } }',
        variables: { input: { complaintId, photo: null } },
      },
      { 0: ['variables.input.photo'] },
    );
    expect(throughFragment.status).toBe(400);
    expect(throughFragment.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ limit: 'uploadMutations' }) }),
    ]);
    await expectNothingProcessed(before);
  });

  it('a single upload still runs the pipeline once', async () => {
    const before = await evidenceCount();
    const res = await addPhoto(stack, consumer, complaintId);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.addEvidence.userErrors).toEqual([]);
    expect(process).toHaveBeenCalledTimes(1);
    expect(await evidenceCount()).toBe(before + 1);
  });
});
