import { fail, ok, type Result } from '../errors.js';

// Review queues are paged by keyset: a cursor carries the sort values of the
// last row shown, and the next page starts strictly after them. The id ends
// every sort, so rows that share a submission time still come in one order and
// never repeat or go missing between pages. A cursor names its queue and its
// order, so one taken under another order is refused rather than misread.

export type QueueKind = 'TRADEMARK' | 'LETTER' | 'COMPLAINT';
export type QueueOrder = 'OLDEST_FIRST' | 'NEWEST_FIRST' | 'ESCALATED_FIRST';

/** Page sizes: as the other connections of the API (and their query cost) count them. */
export const QUEUE_PAGE = { defaultSize: 20, maxSize: 100 } as const;

/** The values a row is sorted by. Trademarks and letters are never escalated. */
export interface QueuePosition {
  escalated: boolean;
  createdAt: Date;
  id: string;
}

type SortField = keyof QueuePosition;
type Direction = 'asc' | 'desc';
export interface SortKey {
  field: SortField;
  direction: Direction;
}

const CURSOR_PREFIX = 'ReviewQueue';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KINDS: readonly QueueKind[] = ['TRADEMARK', 'LETTER', 'COMPLAINT'];
const ORDERS: readonly QueueOrder[] = ['OLDEST_FIRST', 'NEWEST_FIRST', 'ESCALATED_FIRST'];

export function encodeQueueCursor(kind: QueueKind, order: QueueOrder, row: QueuePosition): string {
  const parts = [CURSOR_PREFIX, kind, order, row.escalated ? '1' : '0', String(row.createdAt.getTime()), row.id];
  return Buffer.from(parts.join(':'), 'utf8').toString('base64');
}

export function decodeQueueCursor(kind: QueueKind, order: QueueOrder, cursor: string, field: string[]): Result<QueuePosition> {
  const invalid = fail('INVALID', 'This cursor is not one this queue handed out; start again from the first page.', field);
  const parts = Buffer.from(cursor, 'base64').toString('utf8').split(':');
  if (parts.length !== 6) return invalid;
  const [prefix, cursorKind, cursorOrder, escalated, millis, id] = parts as [string, string, string, string, string, string];
  if (prefix !== CURSOR_PREFIX || !KINDS.includes(cursorKind as QueueKind) || !ORDERS.includes(cursorOrder as QueueOrder)) return invalid;
  if (cursorKind !== kind) return fail('INVALID', 'This cursor belongs to another review queue.', field);
  if (cursorOrder !== order) return fail('INVALID', `This cursor was taken in ${cursorOrder} order; ask again with that order.`, field);
  if ((escalated !== '0' && escalated !== '1') || !/^\d{1,15}$/.test(millis) || !UUID.test(id)) return invalid;
  return ok({ escalated: escalated === '1', createdAt: new Date(Number(millis)), id: id.toLowerCase() });
}

export function sortKeys(order: QueueOrder): SortKey[] {
  switch (order) {
    case 'NEWEST_FIRST':
      return [
        { field: 'createdAt', direction: 'desc' },
        { field: 'id', direction: 'desc' },
      ];
    case 'ESCALATED_FIRST':
      return [
        { field: 'escalated', direction: 'desc' },
        { field: 'createdAt', direction: 'asc' },
        { field: 'id', direction: 'asc' },
      ];
    case 'OLDEST_FIRST':
      return [
        { field: 'createdAt', direction: 'asc' },
        { field: 'id', direction: 'asc' },
      ];
  }
}

/** The same keys read backwards: a `last`/`before` page is read from its end, then put back in order. */
export const reversedKeys = (keys: SortKey[]): SortKey[] =>
  keys.map((key) => ({ field: key.field, direction: key.direction === 'asc' ? 'desc' : 'asc' }));

export const orderByOf = (keys: SortKey[]) => keys.map((key) => ({ [key.field]: key.direction }));

/** What one sort value must be to come after `value`; null when nothing can (a boolean already last). */
function beyond(key: SortKey, value: QueuePosition[SortField]): unknown {
  if (typeof value === 'boolean') {
    // false sorts before true ascending: only false is followed, by true (and the other way descending).
    const last = key.direction === 'asc';
    return value === last ? null : last;
  }
  return key.direction === 'asc' ? { gt: value } : { lt: value };
}

/**
 * The rows strictly after `position` in the order of `keys`, as a Prisma
 * filter: equal on the keys before one key, and beyond it on that key.
 */
export function afterPosition(keys: SortKey[], position: QueuePosition): { OR: Array<Record<string, unknown>> } {
  const branches: Array<Record<string, unknown>> = [];
  keys.forEach((key, index) => {
    const next = beyond(key, position[key.field]);
    if (next === null) return;
    const equalBefore = Object.fromEntries(keys.slice(0, index).map((k) => [k.field, position[k.field]]));
    branches.push({ ...equalBefore, [key.field]: next });
  });
  return { OR: branches };
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
}

/** `first` and `last` within the page bounds; larger pages are refused, not cut short silently. */
export function pageSizeProblems(args: PageArgs): Array<{ code: 'INVALID' | 'LIMIT_EXCEEDED'; field: string[]; message: string }> {
  const problems: Array<{ code: 'INVALID' | 'LIMIT_EXCEEDED'; field: string[]; message: string }> = [];
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size === null || size === undefined) continue;
    if (size < 0) problems.push({ code: 'INVALID', field: [name], message: `${name} is a page size, 0 or more.` });
    else if (size > QUEUE_PAGE.maxSize)
      problems.push({ code: 'LIMIT_EXCEEDED', field: [name], message: `A page holds at most ${QUEUE_PAGE.maxSize} items.` });
  }
  return problems;
}
