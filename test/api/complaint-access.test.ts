import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBrand } from '../support/brand-operations.js';
import {
  ADD_EVIDENCE,
  APPEAL_DECISION,
  CLAIM_COMPLAINT,
  COMPLAINT_BY_ID,
  DECIDE_COMPLAINT,
  FILE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  WITHDRAW_COMPLAINT,
  addPhoto,
  photo,
  send,
} from '../support/complaint-operations.js';
import type { GraphQLResponse } from '../support/http-client.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// Default (long) windows: no deadline fires while these tests run.
let stack: Stack;
let reviewer: Actor;

beforeAll(async () => {
  // The same consumers file a complaint per test here, more than the default open-complaint cap.
  stack = await startStack({ worker: true, config: { OPEN_COMPLAINTS_MAX_PER_CONSUMER: '1000' } });
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const CALLERS = [
  'anonymous',
  'consumer',
  'otherConsumer',
  'merchant',
  'otherMerchant',
  'brandMember',
  'otherBrandMember',
  'reviewer',
] as const;
type Caller = (typeof CALLERS)[number];
/** OK, a GraphQL error code (UNAUTHENTICATED, FORBIDDEN) or a userError code. */
type Outcome = string;

/**
 * Everyone around one store and one brand: the consumer files against the
 * merchant's store and names the brand; the "other" ones own or belong to
 * something else.
 */
interface Parties {
  consumer: Actor;
  otherConsumer: Actor;
  merchant: Actor;
  otherMerchant: Actor;
  brandMember: Actor;
  otherBrandMember: Actor;
  reviewer: Actor;
  store: { id: string };
  otherStore: { id: string };
  brand: { id: string };
  otherBrand: { id: string };
}

async function newParties(): Promise<Parties> {
  const [consumer, otherConsumer, merchant, otherMerchant, brandMember, otherBrandMember] = await Promise.all([
    actor(stack, 'consumer', ['CONSUMER']),
    actor(stack, 'other-consumer', ['CONSUMER']),
    actor(stack, 'merchant', ['MERCHANT']),
    actor(stack, 'other-merchant', ['MERCHANT']),
    actor(stack, 'brand-member', ['BRAND']),
    actor(stack, 'other-brand-member', ['BRAND']),
  ]);
  const [store, otherStore, brand, otherBrand] = await Promise.all([
    createStore(stack, merchant),
    createStore(stack, otherMerchant),
    registerBrand(stack, brandMember.token, unique('brand')),
    registerBrand(stack, otherBrandMember.token, unique('brand')),
  ]);
  return {
    consumer,
    otherConsumer,
    merchant,
    otherMerchant,
    brandMember,
    otherBrandMember,
    reviewer,
    store,
    otherStore,
    brand,
    otherBrand,
  };
}

const tokenOf = (parties: Parties, caller: Caller) => (caller === 'anonymous' ? undefined : parties[caller].token);

const NODE = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      id
      __typename
    }
  }
`;
const COMPLAINT_LIST = /* GraphQL */ `
  query ($filter: ComplaintFilter) {
    complaints(filter: $filter, first: 100) {
      edges {
        node {
          id
          createdAt
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

/** The mutation an operation of complaint-operations.ts runs. */
const mutationName = (operation: string) => /\{\s*(\w+)\(/.exec(operation)?.[1] ?? 'unknown';

/** What a call came to: the GraphQL error's code, the first userError's code, or OK. */
function outcomeOf(res: { body: GraphQLResponse }, mutation: string): Outcome {
  if (res.body.errors?.length) {
    // A refused caller gets one error at the mutation and no data; an upload
    // without a token is refused before its body is read, so before any field runs.
    const uploadWithoutToken = !('data' in res.body) && res.body.errors[0]?.extensions?.code === 'UNAUTHENTICATED';
    expect(res.body).toMatchObject(
      uploadWithoutToken
        ? { errors: [{ message: expect.any(String) }] }
        : { data: null, errors: [{ message: expect.any(String), path: [mutation] }] },
    );
    return res.body.errors[0]!.extensions?.code ?? 'ERROR';
  }
  return res.body.data[mutation].userErrors[0]?.code ?? 'OK';
}

/** The complaint's row, its evidence and its timeline: what a refused command must leave alone. */
async function snapshot(complaintId: string) {
  const id = rowId(complaintId);
  const complaint = await stack.db.complaint.findUniqueOrThrow({
    where: { id },
    select: { status: true, assignedReviewerId: true, verdict: true, decisionNote: true, merchantStatement: true, appealReason: true },
  });
  const [evidence, events] = await Promise.all([
    stack.db.evidence.count({ where: { complaintId: id } }),
    stack.db.complaintEvent.count({ where: { complaintId: id } }),
  ]);
  return { ...complaint, evidence, events };
}

/**
 * Runs `attempt` for every caller, refused callers first, and checks the
 * outcomes against `expected` and that the refusals changed nothing.
 */
async function expectMatrix(
  expected: Record<Caller, Outcome>,
  attempt: (caller: Caller) => Promise<Outcome>,
  unchanged: () => Promise<unknown>,
) {
  const outcomes = {} as Record<Caller, Outcome>;
  const before = await unchanged();
  for (const caller of CALLERS.filter((c) => expected[c] !== 'OK')) outcomes[caller] = await attempt(caller);
  const afterRefusals = await unchanged();
  for (const caller of CALLERS.filter((c) => expected[c] === 'OK')) outcomes[caller] = await attempt(caller);
  expect(outcomes).toEqual(expected);
  expect(afterRefusals).toEqual(before);
}

/** Only `allowed` succeed; everyone else signed in is FORBIDDEN. */
const onlyAllowed = (...allowed: Caller[]): Record<Caller, Outcome> =>
  Object.fromEntries(CALLERS.map((c) => [c, c === 'anonymous' ? 'UNAUTHENTICATED' : allowed.includes(c) ? 'OK' : 'FORBIDDEN'])) as Record<
    Caller,
    Outcome
  >;

async function must(res: Awaited<ReturnType<typeof send>>) {
  if (!res.payload?.complaint || res.payload.userErrors.length > 0) throw new Error(`command failed: ${JSON.stringify(res.res.body)}`);
  return res.payload.complaint;
}

// Steps that bring a complaint of `p` to the state a test needs.
async function filed(p: Parties, consumer = p.consumer, store = p.store, brand: { id: string } | null = p.brand): Promise<string> {
  const res = await stack.gql(
    FILE_COMPLAINT,
    {
      input: {
        storeId: store.id,
        brandId: brand?.id,
        orderReference: unique('ORD'),
        description: 'The watch arrived with a misprinted dial.',
      },
    },
    { token: consumer.token },
  );
  const complaint = res.body.data?.fileComplaint.complaint;
  if (!complaint) throw new Error(`fileComplaint failed: ${JSON.stringify(res.body)}`);
  return complaint.id;
}
async function withPhoto(p: Parties, complaintId?: string): Promise<string> {
  const id = complaintId ?? (await filed(p));
  const added = await addPhoto(stack, p.consumer, id, await photo(7));
  if (!added.body.data?.addEvidence.evidence) throw new Error(`addEvidence failed: ${JSON.stringify(added.body)}`);
  return id;
}
async function awaitingMerchant(p: Parties, complaintId?: string): Promise<string> {
  const id = await withPhoto(p, complaintId);
  await must(await send(stack, SUBMIT_COMPLAINT, p.consumer, { complaintId: id }));
  return id;
}
async function underReview(p: Parties, complaintId?: string): Promise<string> {
  const id = await awaitingMerchant(p, complaintId);
  await must(await send(stack, RESPOND_TO_COMPLAINT, p.merchant, { complaintId: id, statement: 'Bought from the brand directly.' }));
  return id;
}
async function claimed(p: Parties, by = p.reviewer, complaintId?: string): Promise<string> {
  const id = await underReview(p, complaintId);
  await must(await send(stack, CLAIM_COMPLAINT, by, { complaintId: id }));
  return id;
}
async function decided(p: Parties, verdict: string, compensation?: { amount: string; currency: string }): Promise<string> {
  const id = await claimed(p);
  await must(
    await send(stack, DECIDE_COMPLAINT, p.reviewer, { complaintId: id, verdict, note: 'Compared with the brand samples.', compensation }),
  );
  return id;
}

describe('who may run each complaint command', () => {
  let p: Parties;
  beforeAll(async () => {
    p = await newParties();
  });

  /** Sends `mutation` with `input` as `caller`; the outcome it came to. */
  const call = async (mutation: string, caller: Caller, input: Record<string, unknown>) =>
    outcomeOf(await stack.gql(mutation, { input }, { token: tokenOf(p, caller) }), mutationName(mutation));
  const addEvidenceAs = async (caller: Caller, complaintId: string, file: File) =>
    outcomeOf(
      await stack.gql(ADD_EVIDENCE, { input: { complaintId, photo: null } }, { token: tokenOf(p, caller), files: { 'input.photo': file } }),
      'addEvidence',
    );
  const uploaderRoles = async (complaintId: string) =>
    (
      await stack.db.evidence.findMany({
        where: { complaintId: rowId(complaintId) },
        select: { uploadedByRole: true },
        orderBy: { createdAt: 'asc' },
      })
    ).map((e) => e.uploadedByRole);

  it('fileComplaint: any consumer', async () => {
    const complaintsOfStore = () => stack.db.complaint.count({ where: { storeId: rowId(p.store.id) } });
    const before = await complaintsOfStore();
    await expectMatrix(
      onlyAllowed('consumer', 'otherConsumer'),
      (caller) =>
        call(FILE_COMPLAINT, caller, {
          storeId: p.store.id,
          brandId: p.brand.id,
          orderReference: 'ORD-7',
          description: 'Counterfeit strap and clasp.',
        }),
      complaintsOfStore,
    );
    expect(await complaintsOfStore()).toBe(before + 2);
  });

  it('addEvidence before submission: the consumer and the brand; the merchant not yet', async () => {
    const id = await filed(p);
    const file = await photo(11);
    await expectMatrix(
      { ...onlyAllowed('consumer', 'brandMember'), merchant: 'NOT_ALLOWED_IN_STATE' },
      (caller) => addEvidenceAs(caller, id, file),
      () => snapshot(id),
    );
    expect(await uploaderRoles(id)).toEqual(['CONSUMER', 'BRAND']);
  });

  it('addEvidence during the response window: the merchant and the brand; the consumer no more', async () => {
    const id = await awaitingMerchant(p);
    const file = await photo(12);
    await expectMatrix(
      { ...onlyAllowed('merchant', 'brandMember'), consumer: 'NOT_ALLOWED_IN_STATE' },
      (caller) => addEvidenceAs(caller, id, file),
      () => snapshot(id),
    );
    expect(await uploaderRoles(id)).toEqual(['CONSUMER', 'MERCHANT', 'BRAND']);
  });

  it("submitComplaint: the complaint's consumer", async () => {
    const id = await withPhoto(p);
    await expectMatrix(
      onlyAllowed('consumer'),
      (caller) => call(SUBMIT_COMPLAINT, caller, { complaintId: id }),
      () => snapshot(id),
    );
    expect((await snapshot(id)).status).toBe('AWAITING_MERCHANT_RESPONSE');
  });

  it("respondToComplaint: the store's owner", async () => {
    const id = await awaitingMerchant(p);
    await expectMatrix(
      onlyAllowed('merchant'),
      (caller) => call(RESPOND_TO_COMPLAINT, caller, { complaintId: id, statement: `Statement by ${caller}.` }),
      () => snapshot(id),
    );
    expect(await snapshot(id)).toMatchObject({ status: 'UNDER_REVIEW', merchantStatement: 'Statement by merchant.' });
  });

  it("withdrawComplaint: the complaint's consumer", async () => {
    const id = await filed(p);
    await expectMatrix(
      onlyAllowed('consumer'),
      (caller) => call(WITHDRAW_COMPLAINT, caller, { complaintId: id }),
      () => snapshot(id),
    );
    expect((await snapshot(id)).status).toBe('WITHDRAWN');
  });

  it('claimComplaint: a reviewer', async () => {
    const id = await underReview(p);
    await expectMatrix(
      onlyAllowed('reviewer'),
      (caller) => call(CLAIM_COMPLAINT, caller, { complaintId: id }),
      () => snapshot(id),
    );
    expect((await snapshot(id)).assignedReviewerId).not.toBeNull();
  });

  it('decideComplaint: the reviewer who claimed it', async () => {
    const id = await claimed(p);
    await expectMatrix(
      onlyAllowed('reviewer'),
      (caller) => call(DECIDE_COMPLAINT, caller, { complaintId: id, verdict: 'NOT_COUNTERFEIT', note: `Decided by ${caller}.` }),
      () => snapshot(id),
    );
    expect(await snapshot(id)).toMatchObject({ status: 'DECIDED', verdict: 'NOT_COUNTERFEIT', decisionNote: 'Decided by reviewer.' });
  });

  it('appealDecision: the losing side only (the consumer, after NOT_COUNTERFEIT)', async () => {
    const id = await decided(p, 'NOT_COUNTERFEIT');
    await expectMatrix(
      onlyAllowed('consumer'),
      (caller) => call(APPEAL_DECISION, caller, { complaintId: id, reason: `Appeal by ${caller}.` }),
      () => snapshot(id),
    );
    expect(await snapshot(id)).toMatchObject({ status: 'APPEALED', appealReason: 'Appeal by consumer.' });
  });
});

describe('who sees what', () => {
  let p: Parties;
  let mine: string;
  let theirs: string;
  beforeAll(async () => {
    p = await newParties();
    // The other consumer's complaint is about the other store and the other brand.
    [mine, theirs] = await Promise.all([withPhoto(p), filed(p, p.otherConsumer, p.otherStore, p.otherBrand)]);
  });

  const list = async (caller: Caller, filter?: Record<string, unknown>) => {
    const res = await stack.gql(COMPLAINT_LIST, { filter }, { token: tokenOf(p, caller) });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.complaints.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
  };
  const nodeAs = (caller: Caller, id: string) => stack.gql(NODE, { id }, { token: tokenOf(p, caller) });
  const refusedNode = (code: string) => ({
    data: { node: null },
    errors: [{ message: expect.any(String), locations: expect.any(Array), path: ['node'], extensions: expect.objectContaining({ code }) }],
  });

  it("lists consumers' own complaints, merchants' stores', brand members' brands' and all to reviewers", async () => {
    expect(await list('consumer')).toEqual([mine]);
    expect(await list('otherConsumer')).toEqual([theirs]);
    expect(await list('merchant')).toEqual([mine]);
    expect(await list('otherMerchant')).toEqual([theirs]);
    expect(await list('brandMember')).toEqual([mine]);
    expect(await list('otherBrandMember')).toEqual([theirs]);
    expect(await list('reviewer', { storeId: p.store.id })).toEqual([mine]);
    expect(await list('reviewer', { storeId: p.otherStore.id })).toEqual([theirs]);

    const anonymous = await stack.gql(COMPLAINT_LIST, {});
    expect(anonymous.body).toMatchObject({ data: null, errors: [{ path: ['complaints'], extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('resolves a complaint by node id only for those who may see it', async () => {
    const outcomes = Object.fromEntries(
      await Promise.all(
        CALLERS.map(async (caller) => {
          const res = await nodeAs(caller, mine);
          return [caller, res.body.errors ? res.body : res.body.data.node.id === mine ? 'visible' : res.body] as const;
        }),
      ),
    );
    expect(outcomes).toEqual({
      anonymous: refusedNode('UNAUTHENTICATED'),
      consumer: 'visible',
      otherConsumer: refusedNode('FORBIDDEN'),
      merchant: 'visible',
      otherMerchant: refusedNode('FORBIDDEN'),
      brandMember: 'visible',
      otherBrandMember: refusedNode('FORBIDDEN'),
      reviewer: 'visible',
    });
  });

  it('serves evidence through presigned URLs of at most 15 minutes to those who see the complaint, and refuses it to outsiders', async () => {
    const evidence = await stack.db.evidence.findFirstOrThrow({ where: { complaintId: rowId(mine) } });
    for (const caller of ['consumer', 'merchant', 'brandMember', 'reviewer'] as const) {
      const res = await stack.gql(COMPLAINT_BY_ID, { id: mine }, { token: tokenOf(p, caller) });
      const [shown] = res.body.data.node.evidence;
      expect(shown.sha256).toBe(evidence.sha256);
      for (const url of [shown.url, shown.thumbnailUrl]) {
        const expires = Number(new URL(url).searchParams.get('X-Amz-Expires'));
        expect(expires).toBeGreaterThan(0);
        expect(expires).toBeLessThanOrEqual(900);
      }
      const image = await download(shown.url);
      expect(createHash('sha256').update(image).digest('hex')).toBe(evidence.sha256);
      const thumbnail = await sharp(await download(shown.thumbnailUrl)).metadata();
      expect(Math.max(thumbnail.width!, thumbnail.height!)).toBe(320);
      // The bucket itself is private: the object without the signature is refused.
      const unsigned = await fetch(shown.url.split('?')[0]!);
      expect(unsigned.status).toBe(403);
    }

    const evidenceId = (await stack.gql(COMPLAINT_BY_ID, { id: mine }, { token: p.consumer.token })).body.data.node.evidence[0].id;
    for (const caller of ['otherConsumer', 'otherMerchant', 'otherBrandMember'] as const) {
      expect((await nodeAs(caller, evidenceId)).body).toEqual(refusedNode('FORBIDDEN'));
    }
    expect((await nodeAs('anonymous', evidenceId)).body).toEqual(refusedNode('UNAUTHENTICATED'));
    expect((await nodeAs('merchant', evidenceId)).body).toEqual({ data: { node: { id: evidenceId, __typename: 'Evidence' } } });
  });

  it('shows the coupon of a COUNTERFEIT decision to the consumer and reviewers, not to the merchant or the brand', async () => {
    const q = await newParties();
    const id = await decided(q, 'COUNTERFEIT', { amount: '12.50', currency: 'EUR' });
    const asConsumer = await waitForCoupon(id, q.consumer);
    expect(asConsumer.coupon).toEqual({
      id: expect.any(String),
      code: expect.stringMatching(/^[A-Z0-9]{12}$/),
      value: { amount: '12.50', currency: 'EUR' },
      expiresAt: expect.any(String),
    });

    const seen = async (who: Actor) => (await stack.gql(COMPLAINT_BY_ID, { id }, { token: who.token })).body.data.node.coupon;
    expect(await seen(q.reviewer)).toEqual(asConsumer.coupon);
    expect(await seen(q.merchant)).toBeNull();
    expect(await seen(q.brandMember)).toBeNull();
    for (const who of [q.merchant, q.brandMember, q.otherConsumer]) {
      const res = await stack.gql(NODE, { id: asConsumer.coupon.id }, { token: who.token });
      expect(res.body).toEqual(refusedNode('FORBIDDEN'));
    }
  });
});

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** The coupon is issued by an activity after the decision returns. */
function waitForCoupon(complaintId: string, consumer: Actor) {
  return vi.waitFor(
    async () => {
      const res = await stack.gql(COMPLAINT_BY_ID, { id: complaintId }, { token: consumer.token });
      if (!res.body.data?.node?.coupon) throw new Error(`no coupon yet: ${JSON.stringify(res.body)}`);
      return res.body.data.node;
    },
    { timeout: 20_000, interval: 100 },
  );
}

describe('complaint filters', () => {
  let p: Parties;
  let assignee: Actor;
  let plain: string;
  let inReview: string;
  let noBrand: string;
  let elsewhere: string;
  beforeAll(async () => {
    p = await newParties();
    // A reviewer of its own, so "assigned to me" is exactly this file's claim.
    assignee = await actor(stack, 'assignee', ['REVIEWER']);
    plain = await filed(p);
    inReview = await claimed(p, assignee);
    noBrand = await filed(p, p.consumer, p.store, null);
    // The brand's complaint about another store.
    elsewhere = await filed(p, p.otherConsumer, p.otherStore, p.brand);
  });

  const list = async (who: Actor, filter: Record<string, unknown>) => {
    const res = await stack.gql(COMPLAINT_LIST, { filter }, { token: who.token });
    expect(res.body.errors).toBeUndefined();
    return (res.body.data.complaints.edges as Array<{ node: { id: string } }>).map((e) => e.node.id).sort();
  };
  const sorted = (...ids: string[]) => [...ids].sort();

  it('filter by store, brand, status and assignment, within what the caller may see', async () => {
    expect(await list(reviewer, { storeId: p.store.id })).toEqual(sorted(plain, inReview, noBrand));
    expect(await list(reviewer, { brandId: p.brand.id })).toEqual(sorted(plain, inReview, elsewhere));
    expect(await list(reviewer, { storeId: p.store.id, brandId: p.brand.id })).toEqual(sorted(plain, inReview));
    expect(await list(reviewer, { storeId: p.store.id, status: ['UNDER_REVIEW'] })).toEqual([inReview]);
    expect(await list(reviewer, { storeId: p.store.id, status: ['AWAITING_EVIDENCE', 'UNDER_REVIEW'] })).toEqual(
      sorted(plain, inReview, noBrand),
    );
    expect(await list(reviewer, { storeId: p.store.id, status: ['CLOSED'] })).toEqual([]);
    expect(await list(assignee, { assignedToMe: true })).toEqual([inReview]);
    expect(await list(reviewer, { storeId: p.store.id, assignedToMe: true })).toEqual([]);

    // A filter narrows what the caller sees; it never widens it.
    expect(await list(p.merchant, { brandId: p.brand.id })).toEqual(sorted(plain, inReview));
    expect(await list(p.merchant, { storeId: p.otherStore.id })).toEqual([]);
    expect(await list(p.brandMember, { brandId: p.brand.id })).toEqual(sorted(plain, inReview, elsewhere));
    expect(await list(p.otherConsumer, { storeId: p.store.id })).toEqual([]);
    expect(await list(reviewer, { storeId: Buffer.from(`Store:${randomUUID()}`).toString('base64') })).toEqual([]);
  });

  it('refuses a malformed filter id with an INVALID error', async () => {
    for (const filter of [{ storeId: 'not-an-id' }, { brandId: p.store.id }, { storeId: p.brand.id }]) {
      const res = await stack.gql(COMPLAINT_LIST, { filter }, { token: reviewer.token });
      expect(res.body).toMatchObject({
        data: null,
        errors: [{ message: expect.any(String), path: ['complaints'], extensions: { code: 'INVALID' } }],
      });
    }
  });

  it('lists complaints oldest first', async () => {
    const q = await newParties();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await filed(q));
    const res = await stack.gql(COMPLAINT_LIST, { filter: { storeId: q.store.id } }, { token: reviewer.token });
    expect(res.body.data.complaints.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids);
  });
});

describe('bad input', () => {
  let p: Parties;
  beforeAll(async () => {
    p = await newParties();
  });

  const fileAs = (who: Actor, input: Record<string, unknown>) =>
    stack.gql(
      FILE_COMPLAINT,
      { input: { storeId: p.store.id, orderReference: 'ORD-9', description: 'A fake with a crooked logo.', ...input } },
      { token: who.token },
    );
  const userError = (mutation: string, code: string, field: string[]) => ({
    data: { [mutation]: { complaint: null, userErrors: [{ code, field, message: expect.any(String) }] } },
  });

  it('fileComplaint names the bad field and files nothing', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const cases: Array<[Record<string, unknown>, string, string[]]> = [
      [{ storeId: Buffer.from(`Store:${randomUUID()}`).toString('base64') }, 'NOT_FOUND', ['input', 'storeId']],
      [{ storeId: 'store-42' }, 'INVALID', ['input', 'storeId']],
      [{ storeId: p.brand.id }, 'INVALID', ['input', 'storeId']],
      [{ brandId: Buffer.from(`Brand:${randomUUID()}`).toString('base64') }, 'NOT_FOUND', ['input', 'brandId']],
      [{ brandId: 'brand-42' }, 'INVALID', ['input', 'brandId']],
      [{ orderReference: '' }, 'INVALID', ['input', 'orderReference']],
      [{ orderReference: '   ' }, 'INVALID', ['input', 'orderReference']],
      [{ description: 'Too short' }, 'INVALID', ['input', 'description']],
      [{ description: '   fake    ' }, 'INVALID', ['input', 'description']],
    ];
    for (const [input, code, field] of cases) {
      expect({ input, body: (await fileAs(consumer, input)).body }).toEqual({ input, body: userError('fileComplaint', code, field) });
    }
    const consumerRow = await stack.db.actor.findUniqueOrThrow({ where: { subject: consumer.subject } });
    expect(await stack.db.complaint.count({ where: { consumerId: consumerRow.id } })).toBe(0);
  });

  it('fileComplaint refuses a complaint about your own store, even with the CONSUMER role', async () => {
    const both = await actor(stack, 'consumer-merchant', ['CONSUMER', 'MERCHANT']);
    const own = await createStore(stack, both);
    const res = await stack.gql(
      FILE_COMPLAINT,
      { input: { storeId: own.id, orderReference: 'ORD-1', description: 'Complaining about myself here.' } },
      { token: both.token },
    );
    expect(res.body).toEqual(userError('fileComplaint', 'INVALID', ['input', 'storeId']));
    expect(await stack.db.complaint.count({ where: { storeId: rowId(own.id) } })).toBe(0);
  });

  it('decideComplaint needs a note and a valid amount and currency', async () => {
    const id = await claimed(p);
    const before = await snapshot(id);
    const decide = (note: string, compensation?: { amount: string; currency: string }) =>
      stack.gql(DECIDE_COMPLAINT, { input: { complaintId: id, verdict: 'COUNTERFEIT', note, compensation } }, { token: p.reviewer.token });
    const cases: Array<[string, { amount: string; currency: string } | undefined, string[]]> = [
      ['', undefined, ['input', 'note']],
      ['   ', undefined, ['input', 'note']],
      ['Fake.', { amount: '0', currency: 'EUR' }, ['input', 'compensation', 'amount']],
      ['Fake.', { amount: '-5', currency: 'EUR' }, ['input', 'compensation', 'amount']],
      ['Fake.', { amount: 'ten', currency: 'EUR' }, ['input', 'compensation', 'amount']],
      ['Fake.', { amount: '1.234', currency: 'EUR' }, ['input', 'compensation', 'amount']],
      ['Fake.', { amount: '', currency: 'EUR' }, ['input', 'compensation', 'amount']],
      ['Fake.', { amount: '10.00', currency: 'eur' }, ['input', 'compensation', 'currency']],
      ['Fake.', { amount: '10.00', currency: 'EURO' }, ['input', 'compensation', 'currency']],
      ['Fake.', { amount: '10.00', currency: '' }, ['input', 'compensation', 'currency']],
    ];
    for (const [note, compensation, field] of cases) {
      expect({ note, compensation, body: (await decide(note, compensation)).body }).toEqual({
        note,
        compensation,
        body: userError('decideComplaint', 'INVALID', field),
      });
    }
    expect(await snapshot(id)).toEqual(before);
    expect((await decide('Fake.', { amount: '10.00', currency: 'EUR' })).body.data.decideComplaint.complaint.status).toBe('DECIDED');
  });

  it('respondToComplaint needs a statement', async () => {
    const id = await awaitingMerchant(p);
    const before = await snapshot(id);
    for (const statement of ['', '   ']) {
      const res = await stack.gql(RESPOND_TO_COMPLAINT, { input: { complaintId: id, statement } }, { token: p.merchant.token });
      expect(res.body).toEqual(userError('respondToComplaint', 'INVALID', ['input', 'statement']));
    }
    expect(await snapshot(id)).toEqual(before);
  });
});
