import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_COMPLAINT, send } from '../support/complaint-operations.js';
import { REVIEW_TRADEMARK, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { complaintUnderReview, letterInput, submittedLetter, unknownId } from '../support/authority-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

let stack: Stack;
let owner: Actor; // runs brands and stores
let reviewer: Actor;
let otherReviewer: Actor;
let admin: Actor;
let consumer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  [owner, reviewer, otherReviewer, admin, consumer] = await Promise.all([
    actor(stack, 'owner', ['BRAND', 'MERCHANT']),
    actor(stack, 'reviewer', ['REVIEWER']),
    actor(stack, 'other-reviewer', ['REVIEWER']),
    actor(stack, 'admin', ['ADMIN']),
    actor(stack, 'consumer', ['CONSUMER']),
  ]);
});

afterAll(async () => {
  await stack?.close();
});

const PAGE = /* GraphQL */ `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

const TRADEMARK_QUEUE = /* GraphQL */ `
  query ($filter: TrademarkQueueFilter, $orderBy: ReviewQueueOrder, $first: Int, $after: String, $last: Int, $before: String) {
    trademarkReviewQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      counts { all unassigned mine }
      edges { cursor node { id status registrationNumber brand { id slug } document { id filename } assignedReviewer { id displayName } } }
      ${PAGE}
    }
  }
`;

const LETTER_QUEUE = /* GraphQL */ `
  query ($filter: LetterQueueFilter, $orderBy: ReviewQueueOrder, $first: Int, $after: String) {
    letterReviewQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      counts { all unassigned mine }
      edges { node { id status store { id } brand { id } assignedReviewer { id } } }
      ${PAGE}
    }
  }
`;

const COMPLAINT_QUEUE = /* GraphQL */ `
  query ($filter: ComplaintQueueFilter, $orderBy: ComplaintQueueOrder, $first: Int, $after: String) {
    complaintReviewQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      counts { all unassigned mine escalated }
      edges { node { id status escalated store { id } assignedReviewer { id } } }
      ${PAGE}
    }
  }
`;

const CLAIM_PAYLOAD = (entity: string) => /* GraphQL */ `${entity} { id status assignedReviewer { id } } userErrors { code field message }`;
const claimMutation = (name: string, entity: string) => /* GraphQL */ `
  mutation ($input: ClaimReviewInput!) { ${name}(input: $input) { ${CLAIM_PAYLOAD(entity)} } }
`;
const CLAIM_TRADEMARK = claimMutation('claimTrademarkReview', 'trademark');
const RELEASE_TRADEMARK = claimMutation('releaseTrademarkReview', 'trademark');
const CLAIM_LETTER = claimMutation('claimLetterReview', 'letter');
const RELEASE_LETTER = claimMutation('releaseLetterReview', 'letter');

const ME = /* GraphQL */ `
  {
    me {
      id
    }
  }
`;
const actorIdOf = async (who: Actor) => (await stack.gql(ME, {}, { token: who.token })).body.data.me.id as string;

async function queue(query: string, who: Actor | null, variables: Record<string, unknown> = {}) {
  const res = await stack.gql(query, variables, who ? { token: who.token } : {});
  const data = res.body.data ? (Object.values(res.body.data)[0] as any) : null;
  return { res, data, ids: (data?.edges ?? []).map((e: { node: { id: string } }) => e.node.id) as string[] };
}

/** A brand of its own with `count` trademarks waiting for review, oldest first. */
async function brandWithTrademarks(count: number) {
  const brand = await registerBrand(stack, owner.token, unique('queue-brand'), unique('Queue Brand'));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await submitTrademark(stack, owner.token, brand.id);
    ids.push(res.body.data.submitTrademark.trademark.id);
  }
  return { brand, ids };
}

async function claim(mutation: string, who: Actor, id: string) {
  const res = await stack.gql(mutation, { input: { id } }, { token: who.token });
  return { res, payload: res.body.data ? (Object.values(res.body.data)[0] as any) : null };
}

describe('who may read the review queues', () => {
  const queues = [
    ['trademarkReviewQueue', TRADEMARK_QUEUE],
    ['letterReviewQueue', LETTER_QUEUE],
    ['complaintReviewQueue', COMPLAINT_QUEUE],
  ] as const;

  it.each(queues)('%s: reviewers and admins read it', async (_name, query) => {
    for (const who of [reviewer, admin]) {
      const { res, data } = await queue(query, who, { first: 1 });
      expect(res.body.errors).toBeUndefined();
      expect(data.counts.all).toBeGreaterThanOrEqual(0);
    }
  });

  it.each(queues)('%s: anonymous callers are UNAUTHENTICATED, consumers, merchants and brands FORBIDDEN', async (name, query) => {
    const anonymous = await queue(query, null);
    expect(anonymous.res.body).toMatchObject({ data: null, errors: [{ path: [name], extensions: { code: 'UNAUTHENTICATED' } }] });
    for (const role of ['CONSUMER', 'MERCHANT', 'BRAND'] as const) {
      const who = await actor(stack, role.toLowerCase(), [role]);
      const refused = await queue(query, who);
      expect(refused.res.body, role).toMatchObject({ data: null, errors: [{ path: [name], extensions: { code: 'FORBIDDEN' } }] });
    }
  });

  it('only reviewers claim and release; anonymous callers are UNAUTHENTICATED, others (admins too) FORBIDDEN', async () => {
    const { ids } = await brandWithTrademarks(1);
    for (const mutation of [CLAIM_TRADEMARK, RELEASE_TRADEMARK]) {
      const anonymous = await stack.gql(mutation, { input: { id: ids[0] } });
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      for (const who of [consumer, owner, admin]) {
        const refused = await claim(mutation, who, ids[0]!);
        expect(refused.res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    const row = await stack.db.trademark.findUniqueOrThrow({ where: { id: rowId(ids[0]!) } });
    expect(row.assignedReviewerId).toBeNull();
  });

  it("a reviewer can't claim their own brand's trademark or a letter for their own store", async () => {
    const reviewingOwner = await actor(stack, 'reviewing-owner', ['REVIEWER', 'BRAND', 'MERCHANT']);
    const brand = await registerBrand(stack, reviewingOwner.token, unique('own-brand'));
    const trademark = (await submitTrademark(stack, reviewingOwner.token, brand.id)).body.data.submitTrademark.trademark;
    const refused = await claim(CLAIM_TRADEMARK, reviewingOwner, trademark.id);
    expect(refused.res.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/own brand/) });

    const verified = await verifiedBrand(stack, owner, reviewer);
    const store = await createStore(stack, reviewingOwner);
    const letter = await submittedLetter(stack, reviewingOwner, letterInput(store.id, verified.id));
    const letterRefused = await claim(CLAIM_LETTER, reviewingOwner, letter.id);
    expect(letterRefused.res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the trademark queue', () => {
  it('lists what waits for review, oldest first, with counts per tab, and follows claims', async () => {
    const { brand, ids } = await brandWithTrademarks(3);
    const filter = { brandId: brand.id };
    const first = await queue(TRADEMARK_QUEUE, reviewer, { filter });
    expect(first.res.body.errors).toBeUndefined();
    expect(first.ids).toEqual(ids);
    expect(first.data.counts).toEqual({ all: 3, unassigned: 3, mine: 0 });
    expect(first.data.edges[0].node).toMatchObject({ status: 'SUBMITTED', brand: { id: brand.id }, assignedReviewer: null });

    const claimed = await claim(CLAIM_TRADEMARK, reviewer, ids[1]!);
    expect(claimed.payload).toMatchObject({
      userErrors: [],
      trademark: { id: ids[1], status: 'SUBMITTED', assignedReviewer: { id: await actorIdOf(reviewer) } },
    });
    // Claiming again changes nothing; another reviewer is refused and the claim stays.
    expect((await claim(CLAIM_TRADEMARK, reviewer, ids[1]!)).payload.userErrors).toEqual([]);
    const taken = await claim(CLAIM_TRADEMARK, otherReviewer, ids[1]!);
    expect(taken.payload).toEqual({
      trademark: null,
      userErrors: [{ code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'id'], message: 'Another reviewer has claimed this trademark.' }],
    });

    const mine = await queue(TRADEMARK_QUEUE, reviewer, { filter: { ...filter, mine: true } });
    expect(mine.ids).toEqual([ids[1]]);
    expect(mine.data.counts).toEqual({ all: 3, unassigned: 2, mine: 1 });
    const unassigned = await queue(TRADEMARK_QUEUE, reviewer, { filter: { ...filter, unassigned: true } });
    expect(unassigned.ids).toEqual([ids[0], ids[2]]);
    const othersView = await queue(TRADEMARK_QUEUE, otherReviewer, { filter: { ...filter, mine: true } });
    expect(othersView.ids).toEqual([]);
    expect(othersView.data.counts).toEqual({ all: 3, unassigned: 2, mine: 0 });

    // Only the holder releases; then it is unassigned again.
    const notTheirs = await claim(RELEASE_TRADEMARK, otherReviewer, ids[1]!);
    expect(notTheirs.payload.userErrors).toMatchObject([{ code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'id'] }]);
    const released = await claim(RELEASE_TRADEMARK, reviewer, ids[1]!);
    expect(released.payload).toMatchObject({ userErrors: [], trademark: { assignedReviewer: null } });
    expect((await queue(TRADEMARK_QUEUE, reviewer, { filter })).data.counts).toEqual({ all: 3, unassigned: 3, mine: 0 });
    const audit = await stack.db.auditEvent.findMany({ where: { entityId: rowId(ids[1]!) }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['trademark.submitted', 'trademark.review_claimed', 'trademark.review_released']);
  });

  it('reviewing works with or without a claim, and a reviewed trademark leaves the queue', async () => {
    const { brand, ids } = await brandWithTrademarks(2);
    await claim(CLAIM_TRADEMARK, otherReviewer, ids[0]!);
    const unclaimed = await stack.gql(REVIEW_TRADEMARK, { input: { id: ids[1], approve: true } }, { token: reviewer.token });
    expect(unclaimed.body.data.reviewTrademark).toMatchObject({ userErrors: [], trademark: { status: 'APPROVED' } });
    const claimedByOther = await stack.gql(
      REVIEW_TRADEMARK,
      { input: { id: ids[0], approve: false, note: 'Certificate unreadable.' } },
      { token: reviewer.token },
    );
    expect(claimedByOther.body.data.reviewTrademark).toMatchObject({ userErrors: [], trademark: { status: 'REJECTED' } });

    const waiting = await queue(TRADEMARK_QUEUE, reviewer, { filter: { brandId: brand.id } });
    expect(waiting.ids).toEqual([]);
    expect(waiting.data.counts).toEqual({ all: 0, unassigned: 0, mine: 0 });
    const decided = await queue(TRADEMARK_QUEUE, reviewer, { filter: { brandId: brand.id, status: ['APPROVED', 'REJECTED'] } });
    expect(decided.ids).toEqual(ids);
    // A decided trademark is no longer claimed or released.
    const late = await claim(CLAIM_TRADEMARK, reviewer, ids[1]!);
    expect(late.payload.userErrors).toMatchObject([{ code: 'NOT_ALLOWED_IN_STATE' }]);
  });

  it('pages by cursor without repeats or gaps when submission times tie, in either order and backwards', async () => {
    const { brand, ids } = await brandWithTrademarks(5);
    // Same submission time for all: only the id orders them.
    await stack.db.trademark.updateMany({ where: { brandId: rowId(brand.id) }, data: { createdAt: new Date('2026-12-01T00:00:00Z') } });
    const byId = [...ids].sort((a, b) => rowId(a).localeCompare(rowId(b)));
    const filter = { brandId: brand.id };

    const walk = async (orderBy: string) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const { data, ids: pageIds } = await queue(TRADEMARK_QUEUE, reviewer, { filter, orderBy, first: 2, after });
        seen.push(...pageIds);
        if (!data.pageInfo.hasNextPage) return seen;
        after = data.pageInfo.endCursor;
      }
      throw new Error('did not reach the end');
    };
    expect(await walk('OLDEST_FIRST')).toEqual(byId);
    expect(await walk('NEWEST_FIRST')).toEqual([...byId].reverse());

    const all = await queue(TRADEMARK_QUEUE, reviewer, { filter });
    const lastCursor = all.data.edges[4].cursor;
    const backwards = await queue(TRADEMARK_QUEUE, reviewer, { filter, last: 2, before: lastCursor });
    expect(backwards.ids).toEqual(byId.slice(2, 4));
    expect(backwards.data.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('loads a page with its brands, documents and assignees in a fixed number of statements, whatever its size', async () => {
    const { brand, ids } = await brandWithTrademarks(6);
    for (const id of ids.slice(0, 3)) await claim(CLAIM_TRADEMARK, reviewer, id);
    const statements = async (first: number) => {
      stack.sql.length = 0;
      const { res, ids: pageIds } = await queue(TRADEMARK_QUEUE, reviewer, { filter: { brandId: brand.id }, first });
      expect(res.body.errors).toBeUndefined();
      expect(pageIds).toHaveLength(first);
      return [...stack.sql];
    };
    const small = await statements(1);
    const large = await statements(6);
    expect(large).toHaveLength(small.length);
    // The caller's actor and grants, the page with one statement per selected relation, the counts.
    expect(large.length).toBeLessThanOrEqual(7);
    expect(large.filter((sql) => sql.includes('GROUP BY'))).toHaveLength(1);
  });
});

describe('the letter queue', () => {
  it('lists letters waiting for review by brand and store without a brand id, and claims them', async () => {
    const brand = await verifiedBrand(stack, owner, reviewer);
    const [storeA, storeB] = await Promise.all([createStore(stack, owner), createStore(stack, owner)]);
    const a = await submittedLetter(stack, owner, letterInput(storeA.id, brand.id));
    const b = await submittedLetter(stack, owner, letterInput(storeB.id, brand.id));

    const byBrand = await queue(LETTER_QUEUE, reviewer, { filter: { brandId: brand.id } });
    expect(byBrand.res.body.errors).toBeUndefined();
    expect(byBrand.ids).toEqual([a.id, b.id]);
    expect(byBrand.data.counts).toEqual({ all: 2, unassigned: 2, mine: 0 });
    const byStore = await queue(LETTER_QUEUE, reviewer, { filter: { storeId: storeB.id } });
    expect(byStore.ids).toEqual([b.id]);
    expect(byStore.data.edges[0].node).toMatchObject({ status: 'SUBMITTED', store: { id: storeB.id }, brand: { id: brand.id } });
    // Everything waiting, whatever the brand: the queue needs no brand id.
    const everything = await queue(LETTER_QUEUE, reviewer, { first: 100 });
    expect(everything.data.counts.all).toBeGreaterThanOrEqual(2);

    expect((await claim(CLAIM_LETTER, reviewer, b.id)).payload).toMatchObject({ userErrors: [], letter: { id: b.id } });
    expect((await claim(CLAIM_LETTER, otherReviewer, b.id)).payload.userErrors).toEqual([
      { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'id'], message: 'Another reviewer has claimed this letter.' },
    ]);
    const mine = await queue(LETTER_QUEUE, reviewer, { filter: { brandId: brand.id, mine: true } });
    expect(mine.ids).toEqual([b.id]);
    expect(mine.data.counts).toEqual({ all: 2, unassigned: 1, mine: 1 });
    expect((await claim(RELEASE_LETTER, reviewer, b.id)).payload).toMatchObject({ userErrors: [], letter: { assignedReviewer: null } });
    expect((await claim(CLAIM_LETTER, reviewer, unknownId('AuthorizationLetter'))).payload.userErrors).toMatchObject([
      { code: 'NOT_FOUND', field: ['input', 'id'] },
    ]);
  });
});

describe('the complaint queue', () => {
  it('reads claims and escalation from the complaints, with escalated first when asked', async () => {
    const store = await createStore(stack, owner);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await complaintUnderReview(stack, { consumer, owner, storeId: store.id }));
    const filter = { storeId: store.id };

    const waiting = await queue(COMPLAINT_QUEUE, reviewer, { filter });
    expect(waiting.res.body.errors).toBeUndefined();
    expect(waiting.ids).toEqual(ids);
    expect(waiting.data.counts).toEqual({ all: 3, unassigned: 3, mine: 0, escalated: 0 });

    const { payload } = await send(stack, CLAIM_COMPLAINT, reviewer, { complaintId: ids[0] });
    expect(payload.userErrors).toEqual([]);
    // Escalation is the workflow's, after the review deadline; set here on the row the queue reads.
    await stack.db.complaint.update({ where: { id: rowId(ids[2]!) }, data: { escalated: true } });

    const mine = await queue(COMPLAINT_QUEUE, reviewer, { filter: { ...filter, mine: true } });
    expect(mine.ids).toEqual([ids[0]]);
    expect(mine.data.counts).toEqual({ all: 3, unassigned: 2, mine: 1, escalated: 1 });
    expect((await queue(COMPLAINT_QUEUE, otherReviewer, { filter: { ...filter, unassigned: true } })).ids).toEqual([ids[1], ids[2]]);
    expect((await queue(COMPLAINT_QUEUE, reviewer, { filter: { ...filter, escalated: true } })).ids).toEqual([ids[2]]);
    expect((await queue(COMPLAINT_QUEUE, reviewer, { filter: { ...filter, escalated: false } })).ids).toEqual([ids[0], ids[1]]);

    const escalatedFirst = await queue(COMPLAINT_QUEUE, reviewer, { filter, orderBy: 'ESCALATED_FIRST', first: 2 });
    expect(escalatedFirst.ids).toEqual([ids[2], ids[0]]);
    const rest = await queue(COMPLAINT_QUEUE, reviewer, {
      filter,
      orderBy: 'ESCALATED_FIRST',
      first: 2,
      after: escalatedFirst.data.pageInfo.endCursor,
    });
    expect(rest.ids).toEqual([ids[1]]);
    expect(rest.data.pageInfo.hasNextPage).toBe(false);

    const filedLater = await queue(COMPLAINT_QUEUE, reviewer, { filter: { ...filter, submittedFrom: new Date(Date.now() + 60_000) } });
    expect(filedLater.data.counts.all).toBe(0);

    // Assignees and stores come with the page, whatever its size.
    expect((await send(stack, CLAIM_COMPLAINT, otherReviewer, { complaintId: ids[1] })).payload.userErrors).toEqual([]);
    const statements = async (first: number) => {
      stack.sql.length = 0;
      const page = await queue(COMPLAINT_QUEUE, reviewer, { filter, first });
      expect(page.ids).toHaveLength(first);
      return stack.sql.length;
    };
    expect(await statements(3)).toBe(await statements(1));
  });
});

describe('filters that make no sense', () => {
  const problemsOf = (res: Awaited<ReturnType<typeof queue>>['res']) => {
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    return (res.body.errors![0]!.extensions!.problems as Array<{ field: string[] }>).map((p) => p.field.join('.'));
  };

  it('are refused with every problem named, not read as something else', async () => {
    const { res } = await queue(COMPLAINT_QUEUE, reviewer, {
      filter: {
        brandId: 'not-an-id',
        storeId: unknownId('Brand'),
        unassigned: true,
        mine: true,
        submittedFrom: '2026-12-06T12:00:00Z',
        submittedTo: '2026-12-01T00:00:00Z',
      },
      first: 500,
    });
    expect(problemsOf(res)).toEqual(['first', 'filter.brandId', 'filter.storeId', 'filter.mine', 'filter.submittedFrom']);
    expect(res.body.errors![0]!.message).toContain('submittedFrom must be before submittedTo.');
  });

  it('refuse a cursor from another queue or order, or one that is made up', async () => {
    const { brand } = await brandWithTrademarks(2);
    const page = await queue(TRADEMARK_QUEUE, reviewer, { filter: { brandId: brand.id }, first: 1 });
    const cursor = page.data.pageInfo.endCursor;
    expect(problemsOf((await queue(TRADEMARK_QUEUE, reviewer, { orderBy: 'NEWEST_FIRST', after: cursor })).res)).toEqual(['after']);
    expect(problemsOf((await queue(LETTER_QUEUE, reviewer, { after: cursor })).res)).toEqual(['after']);
    expect(problemsOf((await queue(TRADEMARK_QUEUE, reviewer, { after: 'bogus' })).res)).toEqual(['after']);
  });

  it('refuse an empty status list rather than showing nothing', async () => {
    expect(problemsOf((await queue(TRADEMARK_QUEUE, reviewer, { filter: { status: [] } })).res)).toEqual(['filter.status']);
  });

  it('are checked only for callers who may read the queue', async () => {
    const { res } = await queue(TRADEMARK_QUEUE, consumer, { filter: { brandId: 'not-an-id' } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
