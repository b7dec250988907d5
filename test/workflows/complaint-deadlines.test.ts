import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { complaintWorkflowId } from '../../workflows/complaint.workflow.js';
import {
  APPEAL_DECISION,
  CLAIM_COMPLAINT,
  COMPLAINT_FIELDS,
  DECIDE_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  WITHDRAW_COMPLAINT,
  addPhoto,
  fileComplaint,
  photo,
  send,
} from '../support/complaint-operations.js';
import type { GraphQLResponse } from '../support/http-client.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// The stack keeps every window at its default of days, so no deadline fires
// unless a test asks for it. A test about one window files its complaints
// through a second API (on the same task queue and worker) that makes just that
// window a few seconds long: the windows travel in the workflow's input, fixed
// when the complaint is filed. The steps a test takes inside the window take
// well under a second.
const WINDOW_SECONDS = 5;
const WINDOW_MS = WINDOW_SECONDS * 1000;

type WindowSetting =
  | 'COMPLAINT_EVIDENCE_WINDOW_SECONDS'
  | 'COMPLAINT_MERCHANT_WINDOW_SECONDS'
  | 'COMPLAINT_REVIEW_SLA_SECONDS'
  | 'COMPLAINT_APPEAL_WINDOW_SECONDS';

let stack: Stack;
let reviewer: Actor;
let secondReviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  secondReviewer = await actor(stack, 'reviewer-2', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

/** For the enclosing describe: an API whose complaints have `setting` short and every other window long. */
function shortWindow(setting: WindowSetting): () => Stack {
  let windowed: Stack | undefined;
  beforeAll(async () => {
    windowed = await startStack({ config: { TEMPORAL_TASK_QUEUE: stack.taskQueue, [setting]: String(WINDOW_SECONDS) } });
  });
  afterAll(async () => {
    await windowed?.close();
  });
  return () => windowed!;
}

type Verdict = 'COUNTERFEIT' | 'NOT_COUNTERFEIT' | 'INSUFFICIENT_EVIDENCE';

interface TimelineEvent {
  type: string;
  actorRole: string | null;
  message: string;
  at: string;
}

interface ComplaintView {
  id: string;
  status: string;
  escalated: boolean;
  merchantStatement: string | null;
  verdict: string | null;
  assignedReviewer: { id: string } | null;
  deadlines: { evidenceDueAt: string | null; merchantResponseDueAt: string | null; reviewDueAt: string | null; appealDueAt: string | null };
  timeline: TimelineEvent[];
  createdAt: string;
}

/** One complaint with its own consumer and store, so cases never share a party. */
interface Case {
  consumer: Actor;
  merchant: Actor;
  complaintId: string;
}

const COMPLAINT_VIEW = /* GraphQL */ `query ($id: ID!) { node(id: $id) { ... on Complaint { ${COMPLAINT_FIELDS} createdAt timeline { at } } } }`;
const REVIEW_QUEUE = /* GraphQL */ `
  query ($filter: ComplaintFilter, $after: String) {
    complaints(filter: $filter, first: 100, after: $after) {
      edges {
        node {
          id
          escalated
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const ME = /* GraphQL */ `
  query {
    me {
      id
    }
  }
`;

const NO_DEADLINES = { evidenceDueAt: null, merchantResponseDueAt: null, reviewDueAt: null, appealDueAt: null };
const types = (complaint: ComplaintView) => complaint.timeline.map((event) => event.type);
const last = <T>(items: T[]) => items[items.length - 1];

async function view(complaintId: string, who: Actor): Promise<ComplaintView> {
  const res = await stack.gql(COMPLAINT_VIEW, { id: complaintId }, { token: who.token });
  if (!res.body.data?.node) throw new Error(`complaint not readable: ${JSON.stringify(res.body)}`);
  return res.body.data.node;
}

/** Polls the API until the complaint passes `check`; the deadlines fire on the worker, not in this process. */
function viewWhen(complaintId: string, who: Actor, check: (c: ComplaintView) => void): Promise<ComplaintView> {
  return vi.waitFor(
    async () => {
      const current = await view(complaintId, who);
      check(current);
      return current;
    },
    { timeout: WINDOW_MS + 7_000, interval: 150 },
  );
}

/**
 * What became of each timer the complaint's workflow started for `seconds`, in
 * order: FIRED, CANCELED (the wait ended first, so it can never fire), or PENDING.
 */
async function timersOf(complaintId: string, seconds: number): Promise<string[]> {
  const handle = stack.runtime.temporal.client.workflow.getHandle(complaintWorkflowId(rowId(complaintId)));
  const events = (await handle.fetchHistory()).events ?? [];
  const started = events.filter((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds) === seconds);
  return started.map((e) => {
    const timerId = e.timerStartedEventAttributes!.timerId;
    if (events.some((f) => f.timerFiredEventAttributes?.timerId === timerId)) return 'FIRED';
    if (events.some((f) => f.timerCanceledEventAttributes?.timerId === timerId)) return 'CANCELED';
    return 'PENDING';
  });
}

/** A command that must succeed; returns the complaint it answered with. */
async function run(mutation: string, who: Actor, input: Record<string, unknown>): Promise<ComplaintView> {
  const { res, payload } = await send(stack, mutation, who, input);
  if (!payload?.complaint || payload.userErrors.length > 0) throw new Error(`command failed: ${JSON.stringify(res.body)}`);
  return payload.complaint;
}

/** Resolves to the refusal a command met: a GraphQL error code or a userError code, or OK. */
async function outcome(mutation: string, who: Actor, input: Record<string, unknown>): Promise<string> {
  const { res, payload } = await send(stack, mutation, who, input);
  if (res.body.errors?.length) return res.body.errors[0]!.extensions?.code ?? 'ERROR';
  return payload.userErrors[0]?.code ?? 'OK';
}

/** The complaint's row as the workflow left it; to show a refused command wrote nothing. */
async function row(complaintId: string) {
  const id = rowId(complaintId);
  const complaint = await stack.db.complaint.findUniqueOrThrow({
    where: { id },
    select: { status: true, assignedReviewerId: true, verdict: true, merchantStatement: true, appealReason: true, decidedById: true },
  });
  const [evidence, events] = await Promise.all([
    stack.db.evidence.count({ where: { complaintId: id } }),
    stack.db.complaintEvent.count({ where: { complaintId: id } }),
  ]);
  return { ...complaint, evidence, events };
}

/** A complaint filed through `filedOn`, whose windows it keeps; every later step may go through any API. */
async function newCase(filedOn: Stack = stack): Promise<Case> {
  const [consumer, merchant] = await Promise.all([actor(stack, 'consumer', ['CONSUMER']), actor(stack, 'merchant', ['MERCHANT'])]);
  const store = await createStore(stack, merchant);
  const complaint = await fileComplaint(filedOn, consumer, store.id);
  return { consumer, merchant, complaintId: complaint.id };
}

async function addConsumerPhoto(c: Case, seed = 1) {
  const added = await addPhoto(stack, c.consumer, c.complaintId, await photo(seed));
  if (!added.body.data?.addEvidence.evidence) throw new Error(`addEvidence failed: ${JSON.stringify(added.body)}`);
}

async function awaitingMerchant(filedOn: Stack = stack): Promise<Case> {
  const c = await newCase(filedOn);
  await addConsumerPhoto(c);
  await run(SUBMIT_COMPLAINT, c.consumer, { complaintId: c.complaintId });
  return c;
}

async function underReview(filedOn: Stack = stack): Promise<Case> {
  const c = await awaitingMerchant(filedOn);
  await run(RESPOND_TO_COMPLAINT, c.merchant, { complaintId: c.complaintId, statement: 'Sourced from the brand directly.' });
  return c;
}

async function decided(verdict: Verdict, filedOn: Stack = stack): Promise<Case> {
  const c = await underReview(filedOn);
  await run(CLAIM_COMPLAINT, reviewer, { complaintId: c.complaintId });
  await run(DECIDE_COMPLAINT, reviewer, { complaintId: c.complaintId, verdict, note: `Reviewed: ${verdict}.` });
  return c;
}

/** The reviewers' UNDER_REVIEW queue, every page of it, as the second reviewer sees it. */
async function reviewQueue(): Promise<Array<{ id: string; escalated: boolean }>> {
  const nodes: Array<{ id: string; escalated: boolean }> = [];
  let after: string | null = null;
  do {
    const res: { body: GraphQLResponse } = await stack.gql(
      REVIEW_QUEUE,
      { filter: { status: ['UNDER_REVIEW'] }, after },
      { token: secondReviewer.token },
    );
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data.complaints;
    nodes.push(...page.edges.map((e: { node: { id: string; escalated: boolean } }) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

async function actorId(who: Actor): Promise<string> {
  const res = await stack.gql(ME, {}, { token: who.token });
  return res.body.data.me.id;
}

// The four window tests spend most of their time waiting for a deadline, so they wait side by side.
describe.concurrent('evidence window', () => {
  const evidenceWindow = shortWindow('COMPLAINT_EVIDENCE_WINDOW_SECONDS');

  it('expires a complaint without submitted evidence, clears its deadlines, and refuses evidence and submission after', async () => {
    const [noPhoto, notSubmitted] = await Promise.all([
      newCase(evidenceWindow()),
      newCase(evidenceWindow()).then(async (c) => {
        await addConsumerPhoto(c);
        return c;
      }),
    ]);
    const filed = await view(noPhoto.complaintId, noPhoto.consumer);
    expect(filed.status).toBe('AWAITING_EVIDENCE');
    // The API passes this stack's window into the workflow and shows it as the deadline.
    expect(Date.parse(filed.deadlines.evidenceDueAt!) - Date.parse(filed.createdAt)).toBeCloseTo(WINDOW_MS, -3);

    for (const c of [noPhoto, notSubmitted]) {
      const expired = await viewWhen(c.complaintId, c.consumer, (v) => expect(v.status).not.toBe('AWAITING_EVIDENCE'));
      expect(expired).toMatchObject({ status: 'EXPIRED', deadlines: NO_DEADLINES });
      expect(types(expired)).toEqual(['FILED', 'EXPIRED']);
      expect(last(expired.timeline)).toMatchObject({ type: 'EXPIRED', actorRole: null, message: 'No evidence was submitted in time.' });
      // Not before the window ended.
      expect(Date.parse(last(expired.timeline)!.at) - Date.parse(expired.createdAt)).toBeGreaterThanOrEqual(WINDOW_MS - 100);

      const before = await row(c.complaintId);
      const lateEvidence = await addPhoto(stack, c.consumer, c.complaintId, await photo(2));
      expect(lateEvidence.body).toEqual({
        data: {
          addEvidence: {
            evidence: null,
            userErrors: [{ code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'complaintId'], message: expect.stringContaining('EXPIRED') }],
          },
        },
      });
      const lateSubmit = await send(stack, SUBMIT_COMPLAINT, c.consumer, { complaintId: c.complaintId });
      expect(lateSubmit.payload).toEqual({
        complaint: null,
        userErrors: [{ code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'complaintId'], message: expect.any(String) }],
      });
      expect(await row(c.complaintId)).toEqual(before);
    }
    expect((await row(noPhoto.complaintId)).evidence).toBe(0);
    expect((await row(notSubmitted.complaintId)).evidence).toBe(1);
  });
});

describe.concurrent('merchant response window', () => {
  const merchantWindow = shortWindow('COMPLAINT_MERCHANT_WINDOW_SECONDS');

  it('goes to review by itself when the store does not answer in time, and refuses the late statement', async () => {
    const c = await awaitingMerchant(merchantWindow());
    const submitted = await view(c.complaintId, c.consumer);
    expect(submitted.deadlines).toMatchObject({ evidenceDueAt: null, merchantResponseDueAt: expect.any(String), reviewDueAt: null });

    const closed = await viewWhen(c.complaintId, c.consumer, (v) => expect(v.status).not.toBe('AWAITING_MERCHANT_RESPONSE'));
    expect(closed).toMatchObject({
      status: 'UNDER_REVIEW',
      merchantStatement: null,
      deadlines: { ...NO_DEADLINES, reviewDueAt: expect.any(String) },
    });
    expect(types(closed)).toEqual(['FILED', 'SUBMITTED', 'RESPONSE_WINDOW_CLOSED']);
    expect(last(closed.timeline)).toMatchObject({ actorRole: null, message: 'The store did not answer in time.' });

    const before = await row(c.complaintId);
    const late = await send(stack, RESPOND_TO_COMPLAINT, c.merchant, { complaintId: c.complaintId, statement: 'Sorry, we were away.' });
    expect(late.payload).toEqual({
      complaint: null,
      userErrors: [
        {
          code: 'NOT_ALLOWED_IN_STATE',
          field: ['input', 'complaintId'],
          message: 'The complaint is UNDER_REVIEW; the response window is closed.',
        },
      ],
    });
    expect(await row(c.complaintId)).toEqual(before);
  });

  // Filed with the default window of days, which the store answers well within.
  it('closes the window at once when the store answers in time', async () => {
    const c = await awaitingMerchant();
    const dueAt = Date.parse((await view(c.complaintId, c.consumer)).deadlines.merchantResponseDueAt!);

    const answered = await run(RESPOND_TO_COMPLAINT, c.merchant, {
      complaintId: c.complaintId,
      statement: 'Invoice from the brand attached.',
    });
    expect(answered).toMatchObject({ status: 'UNDER_REVIEW', merchantStatement: 'Invoice from the brand attached.' });
    expect(answered.deadlines).toEqual({ ...NO_DEADLINES, reviewDueAt: expect.any(String) });
    expect(Date.now()).toBeLessThan(dueAt);

    // The window's timer was cancelled when the store answered, so its deadline can never bring a second transition.
    const windowSeconds = stack.config.COMPLAINT_MERCHANT_WINDOW_SECONDS;
    await vi.waitFor(async () => expect(await timersOf(c.complaintId, windowSeconds)).toEqual(['CANCELED']), {
      timeout: 5_000,
      interval: 100,
    });
    const later = await view(c.complaintId, c.consumer);
    expect(later.status).toBe('UNDER_REVIEW');
    expect(types(later)).not.toContain('RESPONSE_WINDOW_CLOSED');
    expect(types(later).slice(0, 3)).toEqual(['FILED', 'SUBMITTED', 'MERCHANT_RESPONDED']);
  });
});

describe.concurrent('review SLA', () => {
  const reviewSla = shortWindow('COMPLAINT_REVIEW_SLA_SECONDS');

  it('releases a claim that sees no decision in time, escalates the complaint to the front of the queue, and lets another reviewer decide', async () => {
    const c = await underReview(reviewSla());
    const claimed = await run(CLAIM_COMPLAINT, reviewer, { complaintId: c.complaintId });
    expect(claimed).toMatchObject({ assignedReviewer: { id: expect.any(String) }, escalated: false });

    const escalated = await viewWhen(c.complaintId, reviewer, (v) => expect(v.escalated).toBe(true));
    expect(escalated).toMatchObject({
      status: 'UNDER_REVIEW',
      escalated: true,
      assignedReviewer: null,
      deadlines: { reviewDueAt: expect.any(String) },
    });
    expect(types(escalated).slice(0, 5)).toEqual(['FILED', 'SUBMITTED', 'MERCHANT_RESPONDED', 'CLAIMED', 'ESCALATED']);
    expect(escalated.timeline[4]).toMatchObject({ actorRole: null });
    expect(Date.parse(escalated.timeline[4]!.at) - Date.parse(escalated.timeline[3]!.at)).toBeGreaterThanOrEqual(WINDOW_MS - 100);

    // A complaint that just arrived in review waits behind the escalated one, in this store and in the whole queue.
    const fresh = await underReview();
    const queue = await reviewQueue();
    const escalatedAt = queue.findIndex((n) => n.id === c.complaintId);
    const freshAt = queue.findIndex((n) => n.id === fresh.complaintId);
    expect(escalatedAt).toBeGreaterThanOrEqual(0);
    expect(freshAt).toBeGreaterThan(escalatedAt);
    expect(queue[freshAt]!.escalated).toBe(false);
    const firstCalm = queue.findIndex((n) => !n.escalated);
    expect(queue.slice(firstCalm).filter((n) => n.escalated)).toEqual([]);

    const claimedAgain = await run(CLAIM_COMPLAINT, secondReviewer, { complaintId: c.complaintId });
    expect(claimedAgain.assignedReviewer).toEqual({ id: await actorId(secondReviewer) });
    const decision = await run(DECIDE_COMPLAINT, secondReviewer, {
      complaintId: c.complaintId,
      verdict: 'NOT_COUNTERFEIT',
      note: 'Invoice checks out.',
    });
    expect(decision).toMatchObject({ status: 'DECIDED', verdict: 'NOT_COUNTERFEIT' });

    // Leaves nothing in the shared reviewers' queue.
    await run(WITHDRAW_COMPLAINT, fresh.consumer, { complaintId: fresh.complaintId });
  });
});

describe.concurrent('appeal window', () => {
  const appealWindow = shortWindow('COMPLAINT_APPEAL_WINDOW_SECONDS');

  it('closes a decided complaint nobody appealed when the window ends, and refuses a late appeal', async () => {
    const c = await decided('NOT_COUNTERFEIT', appealWindow());
    const decision = await view(c.complaintId, c.consumer);
    expect(decision).toMatchObject({ status: 'DECIDED', deadlines: { ...NO_DEADLINES, appealDueAt: expect.any(String) } });

    const closed = await viewWhen(c.complaintId, c.consumer, (v) => expect(v.status).not.toBe('DECIDED'));
    expect(closed).toMatchObject({ status: 'CLOSED', verdict: 'NOT_COUNTERFEIT', deadlines: NO_DEADLINES });
    expect(types(closed)).toEqual(['FILED', 'SUBMITTED', 'MERCHANT_RESPONDED', 'CLAIMED', 'DECIDED', 'CLOSED']);
    expect(last(closed.timeline)).toMatchObject({ actorRole: null, message: 'The appeal window ended.' });

    const before = await row(c.complaintId);
    const late = await send(stack, APPEAL_DECISION, c.consumer, { complaintId: c.complaintId, reason: 'I was travelling.' });
    expect(late.payload).toEqual({
      complaint: null,
      userErrors: [{ code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'complaintId'], message: expect.any(String) }],
    });
    expect(await row(c.complaintId)).toEqual(before);
  });
});

describe('appeals', () => {
  /** The losing side appeals once, and the appeal goes to a reviewer who did not decide first. */
  async function appealOnce(verdict: Verdict, side: (c: Case) => { loser: Actor; winner: Actor; loserRole: string }) {
    const c = await decided(verdict);
    const { loser, winner, loserRole } = side(c);
    const appeal = { complaintId: c.complaintId, reason: 'The decision overlooked my evidence.' };

    const before = await row(c.complaintId);
    const byWinner = await send(stack, APPEAL_DECISION, winner, appeal);
    expect(byWinner.res.body).toMatchObject({ data: null, errors: [{ path: ['appealDecision'], extensions: { code: 'FORBIDDEN' } }] });
    expect(await row(c.complaintId)).toEqual(before);

    const appealed = await run(APPEAL_DECISION, loser, appeal);
    expect(appealed).toMatchObject({ status: 'APPEALED', deadlines: { ...NO_DEADLINES, reviewDueAt: expect.any(String) } });
    // The appeal waits for a new reviewer, so nobody holds it (the workflow says so too). Soft: the rules below still run.
    expect.soft(appealed.assignedReviewer).toBeNull();
    expect(last(appealed.timeline)).toMatchObject({ type: 'APPEALED', actorRole: loserRole });

    const again = await send(stack, APPEAL_DECISION, loser, appeal);
    expect(again.payload.userErrors).toEqual([
      { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'complaintId'], message: expect.any(String) },
    ]);

    const sameReviewer = await send(stack, CLAIM_COMPLAINT, reviewer, { complaintId: c.complaintId });
    expect(sameReviewer.payload).toEqual({
      complaint: null,
      userErrors: [
        { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'complaintId'], message: 'An appeal is decided by a different reviewer.' },
      ],
    });

    await run(CLAIM_COMPLAINT, secondReviewer, { complaintId: c.complaintId });
    const final = await run(DECIDE_COMPLAINT, secondReviewer, { complaintId: c.complaintId, verdict, note: 'Upheld on appeal.' });
    expect(final).toMatchObject({ status: 'CLOSED', verdict, deadlines: NO_DEADLINES });
    expect(types(final).slice(-3)).toEqual(['APPEALED', 'CLAIMED', 'APPEAL_DECIDED']);

    const afterClose = await send(stack, APPEAL_DECISION, loser, appeal);
    expect(afterClose.payload.userErrors).toMatchObject([{ code: 'NOT_ALLOWED_IN_STATE' }]);
    expect((await row(c.complaintId)).status).toBe('CLOSED');
  }

  it('lets only the losing side appeal, once, and a different reviewer decides the appeal and closes the complaint', async () => {
    await Promise.all([
      appealOnce('NOT_COUNTERFEIT', (c) => ({ loser: c.consumer, winner: c.merchant, loserRole: 'CONSUMER' })),
      appealOnce('COUNTERFEIT', (c) => ({ loser: c.merchant, winner: c.consumer, loserRole: 'MERCHANT' })),
    ]);
  });
});

describe('withdrawal', () => {
  it('is possible until a decision and refused after', async () => {
    const claimed = async () => {
      const c = await underReview();
      await run(CLAIM_COMPLAINT, reviewer, { complaintId: c.complaintId });
      return c;
    };
    const cases = await Promise.all([newCase(), awaitingMerchant(), claimed()]);
    const withdrawn = await Promise.all(cases.map((c) => run(WITHDRAW_COMPLAINT, c.consumer, { complaintId: c.complaintId })));
    for (const complaint of withdrawn) {
      expect(complaint).toMatchObject({ status: 'WITHDRAWN', assignedReviewer: null, deadlines: NO_DEADLINES });
      expect(last(complaint.timeline)).toMatchObject({ type: 'WITHDRAWN', actorRole: 'CONSUMER' });
    }
    expect(withdrawn.map((c) => types(c).at(-2))).toEqual(['FILED', 'SUBMITTED', 'CLAIMED']);

    const twice = await send(stack, WITHDRAW_COMPLAINT, cases[0]!.consumer, { complaintId: cases[0]!.complaintId });
    expect(twice.payload.userErrors).toMatchObject([{ code: 'NOT_ALLOWED_IN_STATE' }]);

    const d = await decided('INSUFFICIENT_EVIDENCE');
    const before = await row(d.complaintId);
    const late = await send(stack, WITHDRAW_COMPLAINT, d.consumer, { complaintId: d.complaintId });
    expect(late.payload).toEqual({
      complaint: null,
      userErrors: [
        {
          code: 'NOT_ALLOWED_IN_STATE',
          field: ['input', 'complaintId'],
          message: 'The complaint is DECIDED; it can be withdrawn only before a decision.',
        },
      ],
    });
    expect(await row(d.complaintId)).toEqual(before);
  });
});

describe('claims and decisions', () => {
  it('lets only the reviewer who claimed a complaint decide it', async () => {
    const c = await underReview();
    await run(CLAIM_COMPLAINT, reviewer, { complaintId: c.complaintId });
    const before = await row(c.complaintId);

    const byOther = await send(stack, DECIDE_COMPLAINT, secondReviewer, {
      complaintId: c.complaintId,
      verdict: 'COUNTERFEIT',
      note: 'Fake.',
    });
    expect(byOther.res.body).toMatchObject({
      data: null,
      errors: [
        {
          message: 'Only the reviewer who claimed the complaint decides it.',
          path: ['decideComplaint'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(await row(c.complaintId)).toEqual(before);

    const byClaimer = await run(DECIDE_COMPLAINT, reviewer, { complaintId: c.complaintId, verdict: 'NOT_COUNTERFEIT', note: 'Genuine.' });
    expect(byClaimer).toMatchObject({ status: 'DECIDED', verdict: 'NOT_COUNTERFEIT' });
  });

  it('gives a complaint to exactly one of two reviewers claiming it at once', async () => {
    const c = await underReview();
    const claim = (who: Actor) => within(8_000, outcome(CLAIM_COMPLAINT, who, { complaintId: c.complaintId }));
    const outcomes = await Promise.all([claim(reviewer), claim(secondReviewer)]);
    expect([...outcomes].sort()).toEqual(['NOT_ALLOWED_IN_STATE', 'OK']);

    const winner = outcomes[0] === 'OK' ? reviewer : secondReviewer;
    const complaint = await view(c.complaintId, winner);
    expect(complaint.assignedReviewer).toEqual({ id: await actorId(winner) });
    expect(types(complaint).filter((t) => t === 'CLAIMED')).toHaveLength(1);
    // The workflow is still answering: the winner decides.
    const decision = await within(
      8_000,
      outcome(DECIDE_COMPLAINT, winner, { complaintId: c.complaintId, verdict: 'NOT_COUNTERFEIT', note: 'Genuine.' }),
    );
    expect(decision).toBe('OK');
  });
});

/** The command's outcome, or TIMED_OUT: a workflow that stops answering must fail the test, not hang it. */
function within(ms: number, pending: Promise<string>): Promise<string> {
  return Promise.race([pending, delay(ms, 'TIMED_OUT')]);
}
