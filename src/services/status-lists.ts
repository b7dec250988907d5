import type { Prisma } from '@prisma/client';
import type { StatusPurpose } from '../credentials/badge-credentials.js';
import type { ServiceDeps } from './service-deps.js';

export interface StatusListLimits {
  /** Bits of a list opened from now on; lists keep the size they were opened with. */
  size: number;
  /** Lists that may exist, of any size. */
  maxLists: number;
}

export const statusListLimits = (config: ServiceDeps['config']): StatusListLimits => ({
  size: config.STATUS_LIST_SIZE,
  maxLists: config.STATUS_LIST_MAX_LISTS,
});

export interface StatusListSlot {
  listId: number;
  index: number;
}

/** Every list is full and no other may be opened: the badge is not issued. */
export class StatusListsFull extends Error {
  constructor(readonly limits: StatusListLimits) {
    super(
      `Badges cannot be issued now: all ${limits.maxLists} status lists are full (at most ${limits.maxLists} lists of ${limits.size} badges). An operator must raise STATUS_LIST_MAX_LISTS.`,
    );
    this.name = 'StatusListsFull';
  }
}

/** A transaction's `.catch`: StatusListsFull becomes a value to answer with; anything else stays thrown. */
export function whenStatusListsFull(error: unknown): StatusListsFull {
  if (error instanceof StatusListsFull) return error;
  throw error;
}

// One allocator at a time. Row locks alone would deadlock: in READ COMMITTED an
// UPDATE that waited on a list row keeps its lock even when the row, filled
// meanwhile, no longer matches, and that issuer then goes on to open a list.
const ALLOCATION_LOCK = 0x5354_4c53; // "STLS"

/**
 * Takes the next free index of the lowest open list of the configured size,
 * in the caller's (READ COMMITTED) transaction, and opens the next list when
 * none has room. Issuers take turns until their transactions end, so no two
 * get the same place, and a rollback returns the place: no failed issuance
 * burns an index.
 */
export async function allocateStatusListSlot(tx: Prisma.TransactionClient, limits: StatusListLimits): Promise<StatusListSlot> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ALLOCATION_LOCK}::bigint)`;
  const [taken] = await tx.$queryRaw<StatusListSlot[]>`
    UPDATE "StatusList" SET "nextIndex" = "nextIndex" + 1
    WHERE "id" = (SELECT "id" FROM "StatusList" WHERE "size" = ${limits.size}::int AND "nextIndex" < "size" ORDER BY "id" LIMIT 1)
    RETURNING "id" AS "listId", "nextIndex" - 1 AS "index"`;
  if (taken) return taken;

  const lists = await tx.statusList.aggregate({ _count: { _all: true }, _max: { id: true } });
  if (lists._count._all >= limits.maxLists) throw new StatusListsFull(limits);
  // Ids count up without gaps: they appear in the lists' URLs.
  const opened = await tx.statusList.create({ data: { id: (lists._max.id ?? -1) + 1, size: limits.size, nextIndex: 1 } });
  return { listId: opened.id, index: 0 };
}

export interface StatusListContent {
  size: number;
  setIndexes: number[];
}

/** The bits of one list: revoked badges, or badges suspended now; null when there is no such list. */
export async function statusListContent(
  deps: Pick<ServiceDeps, 'db'>,
  listId: number,
  purpose: StatusPurpose,
): Promise<StatusListContent | null> {
  const list = await deps.db.statusList.findUnique({ where: { id: listId }, select: { size: true } });
  if (!list) return null;
  const rows = await deps.db.badge.findMany({
    where: { statusListId: listId, status: purpose === 'revocation' ? 'REVOKED' : 'SUSPENDED' },
    select: { statusListIndex: true },
  });
  return { size: list.size, setIndexes: rows.map((row) => row.statusListIndex) };
}
