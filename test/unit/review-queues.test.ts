import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimRefusal } from '../../src/services/review-claims.js';
import {
  QUEUE_PAGE,
  afterPosition,
  decodeQueueCursor,
  encodeQueueCursor,
  orderByOf,
  pageSizeProblems,
  reversedKeys,
  sortKeys,
  type QueueOrder,
  type QueuePosition,
  type SortKey,
} from '../../src/services/review-queue-pages.js';
import { parseQueueFilter, queueWhere } from '../../src/services/review-queues.js';

const row = (escalated: boolean, at: number, id = randomUUID()): QueuePosition => ({ escalated, createdAt: new Date(at), id });

/** Evaluates the filters afterPosition builds (equality, gt, lt, OR) on a row, as the database would. */
function matches(where: Record<string, unknown>, r: QueuePosition): boolean {
  return Object.entries(where).every(([field, condition]) => {
    if (field === 'OR') return (condition as Array<Record<string, unknown>>).some((branch) => matches(branch, r));
    const value = r[field as keyof QueuePosition];
    const comparable = (v: unknown) => (v instanceof Date ? v.getTime() : v) as number | string | boolean;
    if (condition !== null && typeof condition === 'object' && !(condition instanceof Date)) {
      const { gt, lt } = condition as { gt?: unknown; lt?: unknown };
      if (gt !== undefined) return comparable(value) > comparable(gt);
      return comparable(value) < comparable(lt);
    }
    return comparable(value) === comparable(condition);
  });
}

/** Sorts as the database does for these keys: false before true, ids as text. */
function sorted(rows: QueuePosition[], keys: SortKey[]): QueuePosition[] {
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const x = a[key.field] instanceof Date ? (a[key.field] as Date).getTime() : a[key.field];
      const y = b[key.field] instanceof Date ? (b[key.field] as Date).getTime() : b[key.field];
      if (x === y) continue;
      const less = x < y ? -1 : 1;
      return key.direction === 'asc' ? less : -less;
    }
    return 0;
  });
}

/** Pages through `rows` by cursor, `size` at a time, and returns what each page held. */
function pageThrough(rows: QueuePosition[], order: QueueOrder, size: number): QueuePosition[][] {
  const keys = sortKeys(order);
  const pages: QueuePosition[][] = [];
  let cursor: string | null = null;
  for (;;) {
    const from: QueuePosition | null = cursor
      ? (decodeQueueCursor('COMPLAINT', order, cursor, ['after']) as { value: QueuePosition }).value
      : null;
    const page = sorted(from ? rows.filter((r) => matches(afterPosition(keys, from), r)) : rows, keys).slice(0, size);
    if (page.length === 0) return pages;
    pages.push(page);
    cursor = encodeQueueCursor('COMPLAINT', order, page[page.length - 1]!);
  }
}

describe('review queue cursors', () => {
  it('carry the position of a row and give it back exactly', () => {
    const position = row(true, Date.UTC(2026, 11, 6, 10, 0, 0, 123));
    const cursor = encodeQueueCursor('TRADEMARK', 'OLDEST_FIRST', position);
    expect(decodeQueueCursor('TRADEMARK', 'OLDEST_FIRST', cursor, ['after'])).toEqual({ ok: true, value: position });
  });

  it('are refused when taken from another queue or under another order, naming the argument', () => {
    const cursor = encodeQueueCursor('LETTER', 'NEWEST_FIRST', row(false, 1));
    expect(decodeQueueCursor('TRADEMARK', 'NEWEST_FIRST', cursor, ['after'])).toEqual({
      ok: false,
      errors: [{ code: 'INVALID', field: ['after'], message: 'This cursor belongs to another review queue.' }],
    });
    const otherOrder = decodeQueueCursor('LETTER', 'OLDEST_FIRST', cursor, ['before']);
    expect(otherOrder.ok ? null : otherOrder.errors[0]).toMatchObject({
      field: ['before'],
      message: expect.stringContaining('NEWEST_FIRST'),
    });
  });

  it('are refused when malformed, whatever the bytes', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    for (const bad of [
      'not a cursor',
      '',
      b64('ReviewQueue:COMPLAINT:OLDEST_FIRST:0:123'),
      b64('ReviewQueue:COMPLAINT:OLDEST_FIRST:2:123:00000000-0000-4000-8000-000000000000'),
      b64('ReviewQueue:COMPLAINT:OLDEST_FIRST:0:-5:00000000-0000-4000-8000-000000000000'),
      b64('ReviewQueue:COMPLAINT:OLDEST_FIRST:0:123:not-a-uuid'),
      b64('GPC:S:00000000-0000-4000-8000-000000000000'),
    ]) {
      const decoded = decodeQueueCursor('COMPLAINT', 'OLDEST_FIRST', bad, ['after']);
      expect(decoded, bad).toMatchObject({ ok: false, errors: [{ code: 'INVALID', field: ['after'] }] });
    }
  });
});

describe('review queue order', () => {
  it('is oldest first, escalated first or newest first, always ending with the id', () => {
    expect(orderByOf(sortKeys('OLDEST_FIRST'))).toEqual([{ createdAt: 'asc' }, { id: 'asc' }]);
    expect(orderByOf(sortKeys('ESCALATED_FIRST'))).toEqual([{ escalated: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }]);
    expect(orderByOf(sortKeys('NEWEST_FIRST'))).toEqual([{ createdAt: 'desc' }, { id: 'desc' }]);
    expect(orderByOf(reversedKeys(sortKeys('ESCALATED_FIRST')))).toEqual([{ escalated: 'asc' }, { createdAt: 'desc' }, { id: 'desc' }]);
  });

  it.each<QueueOrder>(['OLDEST_FIRST', 'NEWEST_FIRST', 'ESCALATED_FIRST'])(
    'pages through rows sharing submission times in %s without repeating or skipping any',
    (order) => {
      // Few distinct times and both escalation values, so most rows tie on everything but the id.
      const rows = Array.from({ length: 37 }, (_, i) => row(i % 3 === 0, 1_000 + (i % 4)));
      for (const size of [1, 2, 5, 36, 100]) {
        const pages = pageThrough(rows, order, size);
        expect(pages.flat()).toEqual(sorted(rows, sortKeys(order)));
        expect(pages.every((page) => page.length <= size)).toBe(true);
      }
    },
  );

  it('has nothing after the last escalated-or-not value on a boolean key', () => {
    const keys = sortKeys('ESCALATED_FIRST');
    const lastOfNotEscalated = afterPosition(keys, row(false, 5, '00000000-0000-4000-8000-000000000001'));
    // Only later rows among the not escalated: no branch leads back to escalated ones.
    expect(lastOfNotEscalated.OR).toHaveLength(2);
    expect(matches(lastOfNotEscalated, row(true, 9))).toBe(false);
    expect(matches(afterPosition(keys, row(true, 5)), row(false, 1))).toBe(true);
  });
});

describe('review queue page sizes', () => {
  it('accept up to the bound and refuse more or negative sizes, naming the argument', () => {
    expect(pageSizeProblems({ first: QUEUE_PAGE.maxSize })).toEqual([]);
    expect(pageSizeProblems({ first: 0, last: null })).toEqual([]);
    expect(pageSizeProblems({ first: QUEUE_PAGE.maxSize + 1, last: -1 })).toEqual([
      { code: 'LIMIT_EXCEEDED', field: ['first'], message: `A page holds at most ${QUEUE_PAGE.maxSize} items.` },
      { code: 'INVALID', field: ['last'], message: 'last is a page size, 0 or more.' },
    ]);
  });
});

describe('review queue filters', () => {
  it('default to what waits for a reviewer in each queue', () => {
    expect(parseQueueFilter('TRADEMARK', null)).toMatchObject({ ok: true, value: { statuses: ['SUBMITTED'], assignee: 'ANY' } });
    expect(parseQueueFilter('LETTER', {})).toMatchObject({ ok: true, value: { statuses: ['SUBMITTED'] } });
    expect(parseQueueFilter('COMPLAINT', {})).toMatchObject({
      ok: true,
      value: { statuses: ['UNDER_REVIEW', 'APPEALED'], escalated: null },
    });
  });

  it('report every contradiction at once, each on its field', () => {
    const parsed = parseQueueFilter('COMPLAINT', {
      status: [],
      unassigned: true,
      mine: true,
      submittedFrom: new Date('2026-12-06T12:00:00Z'),
      submittedTo: new Date('2026-12-06T11:00:00Z'),
    });
    expect(parsed.ok ? [] : parsed.errors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID', ['filter', 'status']],
      ['INVALID', ['filter', 'mine']],
      ['INVALID', ['filter', 'submittedFrom']],
    ]);
  });

  it('refuse an empty date range, where from equals to', () => {
    const at = new Date('2026-12-06T12:00:00Z');
    expect(parseQueueFilter('TRADEMARK', { submittedFrom: at, submittedTo: at })).toMatchObject({ ok: false });
  });

  it('become one database filter: scope, assignee and escalation', () => {
    const from = new Date('2026-12-01T00:00:00Z');
    const parsed = parseQueueFilter('COMPLAINT', { mine: true, escalated: true, brandId: 'b', storeId: 's', submittedFrom: from });
    expect(parsed.ok && queueWhere(parsed.value, 'me')).toEqual({
      status: { in: ['UNDER_REVIEW', 'APPEALED'] },
      brandId: 'b',
      storeId: 's',
      createdAt: { gte: from },
      assignedReviewerId: 'me',
      escalated: true,
    });
    const unassigned = parseQueueFilter('TRADEMARK', { unassigned: true, mine: false });
    expect(unassigned.ok && queueWhere(unassigned.value, 'me')).toEqual({ status: { in: ['SUBMITTED'] }, assignedReviewerId: null });
  });
});

describe('review claims', () => {
  const state = (assignedReviewerId: string | null, status = 'SUBMITTED') => ({ status, assignedReviewerId });

  it('let a reviewer take what nobody holds, or hold it again', () => {
    expect(claimRefusal('trademark', state(null), 'me', 'claim')).toBeNull();
    expect(claimRefusal('trademark', state('me'), 'me', 'claim')).toBeNull();
  });

  it('refuse what another reviewer holds, to claim or to release', () => {
    expect(claimRefusal('letter', state('other'), 'me', 'claim')).toBe('Another reviewer has claimed this letter.');
    expect(claimRefusal('letter', state('other'), 'me', 'release')).toMatch(/only they release it/);
  });

  it('refuse what no longer waits for review', () => {
    expect(claimRefusal('trademark', state(null, 'APPROVED'), 'me', 'claim')).toBe(
      'The trademark is APPROVED; only SUBMITTED trademarks wait for a reviewer.',
    );
    expect(claimRefusal('trademark', state('me', 'REJECTED'), 'me', 'release')).not.toBeNull();
  });
});
