import { Prisma, type Complaint, type Verdict, type Warning } from '@prisma/client';
import type { Access } from '../auth/access.js';
import type { Db } from '../db/client.js';
import { STRIKE_WINDOW_DAYS } from './complaint-effects.js';

// What a reviewer needs beside the complaint to decide it: the store's record
// (its strikes and the complaints filed against it before) and the
// complainant's (how often their complaints were upheld). Each party's record
// is theirs and the reviewers': the consumer never sees the store's, the store
// never sees the consumer's.

/** Earlier complaints and warnings listed at most; the counts cover all of them. */
export const STORE_HISTORY_LIST_LIMIT = 20;

export interface VerdictCounts {
  counterfeit: number;
  notCounterfeit: number;
  insufficientEvidence: number;
  undecided: number;
}

export interface StoreHistory {
  /** The owner's strikes that count now (the policy window, across their stores). */
  activeStrikes: number;
  warningCount: number;
  rescindedWarningCount: number;
  /** The store's warnings, rescinded ones included, newest first. */
  warnings: Warning[];
  earlierComplaintCount: number;
  /** Complaints against the store filed before this one, newest first. */
  earlierComplaints: Complaint[];
  earlierVerdicts: VerdictCounts;
}

export interface ComplainantRecord {
  complaintsFiled: number;
  decided: number;
  upheld: number;
  /** upheld / decided, or null before any decision. */
  upheldShare: number | null;
  withdrawn: number;
  expired: number;
}

/** The store's history: reviewers and admins see it, and so does the store's owner, whose record it is. */
export async function mayReadStoreHistory(access: Access, complaint: Pick<Complaint, 'storeId'>): Promise<boolean> {
  return access.seesEverything || (await access.ownedStoreIds()).has(complaint.storeId);
}

/** The complainant's record: reviewers and admins only, so the other side can't weigh the consumer. */
export const mayReadComplainantRecord = (access: Access) => access.seesEverything;

const VERDICT_KEYS: Record<Verdict, keyof VerdictCounts> = {
  COUNTERFEIT: 'counterfeit',
  NOT_COUNTERFEIT: 'notCounterfeit',
  INSUFFICIENT_EVIDENCE: 'insufficientEvidence',
};

const VERDICTS = new Set<string>(Object.keys(VERDICT_KEYS));
const emptyVerdicts = (): VerdictCounts => ({ counterfeit: 0, notCounterfeit: 0, insufficientEvidence: 0, undecided: 0 });
const uuids = (ids: string[]) => Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`));
const groupCount = <K extends string>(rows: Array<{ key: K; n: number }>) => {
  const counts = new Map<K, number>();
  for (const row of rows) counts.set(row.key, (counts.get(row.key) ?? 0) + row.n);
  return counts;
};

type ComplaintKey = Pick<Complaint, 'id' | 'storeId' | 'createdAt'>;

/**
 * The store's history around each of `complaints`, in a fixed number of
 * queries however many complaints a page shows. "Earlier" complaints are the
 * store's complaints filed before each one.
 */
export async function storeHistories(db: Db, complaints: ComplaintKey[], now: Date): Promise<Map<string, StoreHistory>> {
  const result = new Map<string, StoreHistory>();
  if (complaints.length === 0) return result;
  const complaintIds = [...new Set(complaints.map((c) => c.id))];
  const storeIds = [...new Set(complaints.map((c) => c.storeId))];
  const stores = await db.store.findMany({ where: { id: { in: storeIds } }, select: { id: true, ownerId: true } });
  const ownerOf = new Map(stores.map((s) => [s.id, s.ownerId]));
  const ownerIds = [...new Set(stores.map((s) => s.ownerId))];
  const since = new Date(now.getTime() - STRIKE_WINDOW_DAYS * 86_400_000);
  const [strikes, warningCounts, rescindedCounts, warningIds, verdicts, earlierIds] = await Promise.all([
    // The same strikes as activeStrikesWhere counts, for every owner at once.
    db.$queryRaw<Array<{ key: string; n: number }>>`
      SELECT s."ownerId"::text AS key, count(*)::int AS n FROM "Warning" w JOIN "Store" s ON s.id = w."storeId"
      WHERE s."ownerId" IN (${uuids(ownerIds)}) AND w."rescindedAt" IS NULL AND w."issuedAt" > ${since}
      GROUP BY s."ownerId"`,
    db.warning.groupBy({ by: ['storeId'], where: { storeId: { in: storeIds } }, _count: true }),
    db.warning.groupBy({ by: ['storeId'], where: { storeId: { in: storeIds }, rescindedAt: { not: null } }, _count: true }),
    db.$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM (
        SELECT id, row_number() OVER (PARTITION BY "storeId" ORDER BY "issuedAt" DESC, id DESC) AS n
        FROM "Warning" WHERE "storeId" IN (${uuids(storeIds)})
      ) ranked WHERE n <= ${STORE_HISTORY_LIST_LIMIT}`,
    db.$queryRaw<Array<{ complaintId: string; verdict: string | null; n: number }>>`
      SELECT c.id::text AS "complaintId", e.verdict::text AS verdict, count(*)::int AS n
      FROM "Complaint" c JOIN "Complaint" e ON e."storeId" = c."storeId" AND e."createdAt" < c."createdAt" AND e.id <> c.id
      WHERE c.id IN (${uuids(complaintIds)})
      GROUP BY c.id, e.verdict`,
    db.$queryRaw<Array<{ complaintId: string; id: string }>>`
      SELECT c.id::text AS "complaintId", e.id::text AS id FROM "Complaint" c
      CROSS JOIN LATERAL (
        SELECT id FROM "Complaint" e
        WHERE e."storeId" = c."storeId" AND e."createdAt" < c."createdAt" AND e.id <> c.id
        ORDER BY e."createdAt" DESC, e.id DESC LIMIT ${STORE_HISTORY_LIST_LIMIT}
      ) e
      WHERE c.id IN (${uuids(complaintIds)})`,
  ]);
  const [warnings, earlier] = await Promise.all([
    warningIds.length
      ? db.warning.findMany({ where: { id: { in: warningIds.map((w) => w.id) } }, orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }] })
      : [],
    earlierIds.length
      ? db.complaint.findMany({
          where: { id: { in: [...new Set(earlierIds.map((e) => e.id))] } },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        })
      : [],
  ]);
  const strikesOf = groupCount(strikes);
  const earlierById = new Map(earlier.map((c) => [c.id, c]));
  for (const complaint of complaints) {
    const earlierVerdicts = emptyVerdicts();
    for (const row of verdicts.filter((v) => v.complaintId === complaint.id)) {
      const key = row.verdict && VERDICTS.has(row.verdict) ? VERDICT_KEYS[row.verdict as Verdict] : 'undecided';
      earlierVerdicts[key] += row.n;
    }
    const listed = new Set(earlierIds.filter((e) => e.complaintId === complaint.id).map((e) => e.id));
    result.set(complaint.id, {
      activeStrikes: strikesOf.get(ownerOf.get(complaint.storeId) ?? '') ?? 0,
      warningCount: warningCounts.find((w) => w.storeId === complaint.storeId)?._count ?? 0,
      rescindedWarningCount: rescindedCounts.find((w) => w.storeId === complaint.storeId)?._count ?? 0,
      warnings: warnings.filter((w) => w.storeId === complaint.storeId),
      earlierComplaintCount: Object.values(earlierVerdicts).reduce((sum, n) => sum + n, 0),
      earlierComplaints: [...listed]
        .map((id) => earlierById.get(id)!)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)),
      earlierVerdicts,
    });
  }
  return result;
}

/**
 * Each complainant's record over every complaint they filed (the one shown
 * included), in two queries however many complaints a page shows: the share
 * of decided complaints found COUNTERFEIT is the good-faith signal.
 */
export async function complainantRecords(db: Db, consumerIds: string[]): Promise<Map<string, ComplainantRecord>> {
  const ids = [...new Set(consumerIds)];
  const result = new Map<string, ComplainantRecord>();
  if (ids.length === 0) return result;
  const [byVerdict, byStatus] = await Promise.all([
    db.complaint.groupBy({ by: ['consumerId', 'verdict'], where: { consumerId: { in: ids } }, _count: true }),
    db.complaint.groupBy({
      by: ['consumerId', 'status'],
      where: { consumerId: { in: ids }, status: { in: ['WITHDRAWN', 'EXPIRED'] } },
      _count: true,
    }),
  ]);
  for (const consumerId of ids) {
    const verdicts = byVerdict.filter((row) => row.consumerId === consumerId);
    const complaintsFiled = verdicts.reduce((sum, row) => sum + row._count, 0);
    const decided = verdicts.filter((row) => row.verdict !== null).reduce((sum, row) => sum + row._count, 0);
    const upheld = verdicts.find((row) => row.verdict === 'COUNTERFEIT')?._count ?? 0;
    const status = (name: string) => byStatus.find((row) => row.consumerId === consumerId && row.status === name)?._count ?? 0;
    result.set(consumerId, {
      complaintsFiled,
      decided,
      upheld,
      upheldShare: decided === 0 ? null : upheld / decided,
      withdrawn: status('WITHDRAWN'),
      expired: status('EXPIRED'),
    });
  }
  return result;
}
