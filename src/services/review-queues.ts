import type { AuthorizationLetter, Complaint, Prisma, Trademark } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import type { Result } from '../errors.js';
import { addProblem, parseInput } from './input-validation.js';
import {
  afterPosition,
  orderByOf,
  reversedKeys,
  sortKeys,
  type QueueKind,
  type QueueOrder,
  type QueuePosition,
} from './review-queue-pages.js';
import type { ServiceDeps } from './service-deps.js';

// What reviewers work through: trademarks and letters waiting for a decision,
// complaints waiting for a reviewer. The three queues filter, sort and count
// the same way; "unassigned" and "mine" read the assignee each one stores.

/** What a queue holds when no status is asked for: what waits for a reviewer. */
export const WAITING_STATUSES = {
  TRADEMARK: ['SUBMITTED'],
  LETTER: ['SUBMITTED'],
  COMPLAINT: ['UNDER_REVIEW', 'APPEALED'],
} as const satisfies Record<QueueKind, readonly string[]>;

export interface QueueFilterInput {
  status?: string[] | null;
  unassigned?: boolean | null;
  mine?: boolean | null;
  escalated?: boolean | null;
  brandId?: string | null;
  storeId?: string | null;
  submittedFrom?: Date | null;
  submittedTo?: Date | null;
}

export interface QueueFilter {
  statuses: string[];
  assignee: 'ANY' | 'UNASSIGNED' | 'MINE';
  escalated: boolean | null;
  brandId: string | null;
  storeId: string | null;
  submittedFrom: Date | null;
  submittedTo: Date | null;
}

const queueFilterSchema = (kind: QueueKind) =>
  z
    .object({
      status: z.array(z.string()).nullish(),
      unassigned: z.boolean().nullish(),
      mine: z.boolean().nullish(),
      escalated: z.boolean().nullish(),
      brandId: z.string().nullish(),
      storeId: z.string().nullish(),
      submittedFrom: z.date().nullish(),
      submittedTo: z.date().nullish(),
    })
    .superRefine((filter, ctx) => {
      if (filter.status && filter.status.length === 0) {
        addProblem(ctx, 'INVALID', 'Name at least one status, or leave status out for what waits for review.', ['status']);
      }
      if (filter.unassigned && filter.mine) {
        addProblem(ctx, 'INVALID', 'Nothing is both unassigned and yours; ask for one of them.', ['mine']);
      }
      if (filter.submittedFrom && filter.submittedTo && filter.submittedFrom >= filter.submittedTo) {
        addProblem(ctx, 'INVALID', 'submittedFrom must be before submittedTo.', ['submittedFrom']);
      }
    })
    .transform((filter): QueueFilter => ({
      statuses: filter.status ?? [...WAITING_STATUSES[kind]],
      assignee: filter.unassigned ? 'UNASSIGNED' : filter.mine ? 'MINE' : 'ANY',
      escalated: filter.escalated ?? null,
      brandId: filter.brandId ?? null,
      storeId: filter.storeId ?? null,
      submittedFrom: filter.submittedFrom ?? null,
      submittedTo: filter.submittedTo ?? null,
    }));

/** The filter checked all at once; each problem names its field under `filter`. */
export function parseQueueFilter(kind: QueueKind, input: QueueFilterInput | null | undefined): Result<QueueFilter> {
  return parseInput(queueFilterSchema(kind), input ?? {}, ['filter']);
}

/** Who may read the queues: reviewers, and admins, who see every record anyway. */
export function requireQueueReader(access: Access) {
  return access.requireRole('REVIEWER', 'ADMIN');
}

/** The filter without its tabs (unassigned, mine, escalated): what the counts are taken over. */
function scopeWhere(filter: QueueFilter): Record<string, unknown> {
  return {
    status: { in: filter.statuses },
    ...(filter.brandId ? { brandId: filter.brandId } : {}),
    ...(filter.storeId ? { storeId: filter.storeId } : {}),
    ...(filter.submittedFrom || filter.submittedTo
      ? {
          createdAt: {
            ...(filter.submittedFrom ? { gte: filter.submittedFrom } : {}),
            ...(filter.submittedTo ? { lt: filter.submittedTo } : {}),
          },
        }
      : {}),
  };
}

/** The whole filter as a Prisma filter; the same fields on all three tables. */
export function queueWhere(filter: QueueFilter, actorId: string): Record<string, unknown> {
  return {
    ...scopeWhere(filter),
    ...(filter.assignee === 'UNASSIGNED' ? { assignedReviewerId: null } : {}),
    ...(filter.assignee === 'MINE' ? { assignedReviewerId: actorId } : {}),
    ...(filter.escalated !== null ? { escalated: filter.escalated } : {}),
  };
}

export interface QueuePageRequest {
  order: QueueOrder;
  /** Where reading starts: rows strictly beyond it in the direction read (backwards when `inverted`). */
  from: QueuePosition | null;
  /** Where reading must stop: rows strictly short of it. */
  until: QueuePosition | null;
  limit: number;
  inverted: boolean;
}

/** How the relations selected under each node are loaded with the page, in its one query. */
export type NodeQuery = { include?: unknown; select?: unknown };

type QueueRow = { TRADEMARK: Trademark; LETTER: AuthorizationLetter; COMPLAINT: Complaint };

/**
 * One page of a queue in one query. `inverted` reads it from its end (for
 * `last`), the connection puts it back in order.
 */
export async function queuePage<K extends QueueKind>(
  deps: ServiceDeps,
  access: Access,
  kind: K,
  filter: QueueFilter,
  page: QueuePageRequest,
  nodeQuery: NodeQuery,
): Promise<Array<QueueRow[K]>> {
  const reader = requireQueueReader(access);
  const keys = sortKeys(page.order);
  const readKeys = page.inverted ? reversedKeys(keys) : keys;
  const bounds = [
    page.from ? afterPosition(readKeys, page.from) : null,
    // Short of `until` in the direction read is beyond it read the other way.
    page.until ? afterPosition(page.inverted ? keys : reversedKeys(keys), page.until) : null,
  ].filter((bound) => bound !== null);
  const args = {
    ...nodeQuery,
    where: { AND: [queueWhere(filter, reader.id), ...bounds] },
    orderBy: orderByOf(readKeys),
    take: page.limit,
  };
  // The three tables share every field the queue reads; the cast names which table is asked.
  switch (kind) {
    case 'TRADEMARK':
      return (await deps.db.trademark.findMany(args as Prisma.TrademarkFindManyArgs)) as Array<QueueRow[K]>;
    case 'LETTER':
      return (await deps.db.authorizationLetter.findMany(args as Prisma.AuthorizationLetterFindManyArgs)) as Array<QueueRow[K]>;
    default:
      return (await deps.db.complaint.findMany(args as Prisma.ComplaintFindManyArgs)) as Array<QueueRow[K]>;
  }
}

export interface QueueCounts {
  all: number;
  unassigned: number;
  mine: number;
  escalated: number;
}

/**
 * The numbers of a queue's header: everything the filter's scope (status,
 * brand, store, dates) holds, and how much of it is unassigned, the caller's
 * and escalated, whichever of those the filter asked for. One grouped query:
 * one group per assignee (and escalation), so a few dozen rows at most.
 */
export async function queueCounts(deps: ServiceDeps, access: Access, kind: QueueKind, filter: QueueFilter): Promise<QueueCounts> {
  const reader = requireQueueReader(access);
  const where = scopeWhere(filter);
  type Group = { assignedReviewerId: string | null; escalated?: boolean; _count: { _all: number } };
  const grouped = async (): Promise<Group[]> => {
    switch (kind) {
      case 'TRADEMARK': {
        const rows = await deps.db.trademark.groupBy({
          by: ['assignedReviewerId'],
          where: where as Prisma.TrademarkWhereInput,
          _count: { _all: true },
        });
        return rows;
      }
      case 'LETTER': {
        const rows = await deps.db.authorizationLetter.groupBy({
          by: ['assignedReviewerId'],
          where: where as Prisma.AuthorizationLetterWhereInput,
          _count: { _all: true },
        });
        return rows;
      }
      default: {
        const rows = await deps.db.complaint.groupBy({
          by: ['assignedReviewerId', 'escalated'],
          where: where as Prisma.ComplaintWhereInput,
          _count: { _all: true },
        });
        return rows;
      }
    }
  };
  const groups = await grouped();
  const sum = (matches: (group: (typeof groups)[number]) => boolean) =>
    groups.filter(matches).reduce((total, group) => total + group._count._all, 0);
  return {
    all: sum(() => true),
    unassigned: sum((g) => g.assignedReviewerId === null),
    mine: sum((g) => g.assignedReviewerId === reader.id),
    escalated: sum((g) => g.escalated === true),
  };
}
