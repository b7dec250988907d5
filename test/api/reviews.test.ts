import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_TRADEMARK, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { letterInput, submitLetter } from '../support/authorization-chain.js';
import { REVIEW_LETTER } from '../support/letter-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

// Trademarks and authorization letters are reviewed by one flow: the same
// situation gets the same code and field whichever is reviewed.

let stack: Stack;
let reviewer: Actor;
let brandOwner: Actor;
let letterBrand: { id: string };

beforeAll(async () => {
  stack = await startStack();
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  brandOwner = await actor(stack, 'brand-owner', ['BRAND']);
  letterBrand = await verifiedBrand(stack, brandOwner, reviewer);
});

afterAll(async () => {
  await stack?.close();
});

interface Subject {
  noun: string;
  /** Whom a rejection note tells why. */
  told: string;
  /** A new SUBMITTED case: its global id and row id. */
  submitted(): Promise<{ id: string; row: string }>;
  review(input: { id: string; approve: boolean; note?: string }): Promise<{ status: number; payload: any }>;
  /** The row's status and how many review audit records it has. */
  stored(row: string): Promise<{ status: string; reviews: number }>;
  /** The validity runs out while the case waits for its reviewer. */
  expire(row: string): Promise<void>;
}

const reviewAudits = (row: string) =>
  stack.db.auditEvent.count({
    where: { entityId: row, action: { in: ['trademark.approved', 'trademark.rejected', 'letter.approved', 'letter.rejected'] } },
  });
const yesterday = () => new Date(Date.now() - 86_400_000);

const trademark: Subject = {
  noun: 'trademark',
  told: 'brand',
  async submitted() {
    const owner = await actor(stack, 'tm-owner', ['BRAND']);
    const brand = await registerBrand(stack, owner.token, unique('reviewed'));
    const res = await submitTrademark(stack, owner.token, brand.id);
    const id = res.body.data.submitTrademark.trademark.id as string;
    return { id, row: rowId(id) };
  },
  async review(input) {
    const res = await stack.gql(REVIEW_TRADEMARK, { input }, { token: reviewer.token });
    return { status: res.status, payload: res.body.data?.reviewTrademark };
  },
  async stored(row) {
    const { status } = await stack.db.trademark.findUniqueOrThrow({ where: { id: row } });
    return { status, reviews: await reviewAudits(row) };
  },
  async expire(row) {
    await stack.db.trademark.update({ where: { id: row }, data: { validFrom: new Date(0), validUntil: yesterday() } });
  },
};

const letter: Subject = {
  noun: 'letter',
  told: 'store',
  async submitted() {
    const owner = await actor(stack, 'store-owner', ['MERCHANT']);
    const store = await createStore(stack, owner);
    const res = await submitLetter(stack, owner, letterInput(store.id, letterBrand.id));
    const id = res.body.data.submitAuthorizationLetter.letter.id as string;
    return { id, row: rowId(id) };
  },
  async review(input) {
    const res = await stack.gql(REVIEW_LETTER, { input }, { token: reviewer.token });
    return { status: res.status, payload: res.body.data?.reviewAuthorizationLetter };
  },
  async stored(row) {
    const { status } = await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: row } });
    return { status, reviews: await reviewAudits(row) };
  },
  async expire(row) {
    await stack.db.authorizationLetter.update({ where: { id: row }, data: { validFrom: new Date(0), validUntil: yesterday() } });
  },
};

describe.each([trademark, letter])('reviewing a $noun', (subject) => {
  it('needs a note to reject, and refuses a note over its cap', async () => {
    const { id, row } = await subject.submitted();
    expect((await subject.review({ id, approve: false })).payload.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'note'], message: `A rejection needs a note telling the ${subject.told} why.` },
    ]);
    expect((await subject.review({ id, approve: true, note: 'x'.repeat(2001) })).payload.userErrors).toEqual([
      {
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'note'],
        message: 'A review note has at most 2000 characters; this one has 2001 characters.',
      },
    ]);
    expect(await subject.stored(row)).toEqual({ status: 'SUBMITTED', reviews: 0 });
  });

  it('refuses to approve once the validity has run out (EXPIRED at approve), and still lets the reviewer reject it', async () => {
    const { id, row } = await subject.submitted();
    await subject.expire(row);
    expect((await subject.review({ id, approve: true })).payload.userErrors).toEqual([
      { code: 'EXPIRED', field: ['input', 'approve'], message: `The ${subject.noun} expired before it was reviewed; reject it instead.` },
    ]);
    expect(await subject.stored(row)).toEqual({ status: 'SUBMITTED', reviews: 0 });
    expect((await subject.review({ id, approve: false, note: 'Expired while waiting.' })).payload.userErrors).toEqual([]);
    expect(await subject.stored(row)).toEqual({ status: 'REJECTED', reviews: 1 });
  });

  it('decides once when reviewers race: the others are NOT_ALLOWED_IN_STATE at id', async () => {
    const { id, row } = await subject.submitted();
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => subject.review({ id, approve: false, note: `Rejection ${i}` })));
    const decided = answers.filter((a) => a.payload.userErrors.length === 0);
    const refused = answers.filter((a) => a.payload.userErrors.length > 0);
    expect(decided).toHaveLength(1);
    expect(refused).toHaveLength(4);
    for (const { payload } of refused) {
      // Seen SUBMITTED and lost the race, or seen already decided.
      expect(payload.userErrors).toEqual([
        {
          code: 'NOT_ALLOWED_IN_STATE',
          field: ['input', 'id'],
          message: expect.stringMatching(
            new RegExp(
              `^The ${subject.noun} (was reviewed by someone else just now\\.|is REJECTED; only SUBMITTED ${subject.noun}s are reviewed\\.)$`,
            ),
          ),
        },
      ]);
    }
    expect(await subject.stored(row)).toEqual({ status: 'REJECTED', reviews: 1 });
  });
});
