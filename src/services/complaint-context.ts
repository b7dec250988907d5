import type { Complaint, Verdict, Warning } from '@prisma/client';
import type { Access } from '../auth/access.js';
import type { Db } from '../db/client.js';
import { activeStrikesWhere } from './complaint-effects.js';

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

export async function storeHistory(db: Db, complaint: Complaint & { store?: { ownerId: string } }, now: Date): Promise<StoreHistory> {
  const ownerId = complaint.store?.ownerId ?? (await db.store.findUniqueOrThrow({ where: { id: complaint.storeId } })).ownerId;
  const earlier = { storeId: complaint.storeId, id: { not: complaint.id }, createdAt: { lt: complaint.createdAt } };
  const [activeStrikes, warningCount, rescindedWarningCount, warnings, verdicts, earlierComplaints] = await Promise.all([
    db.warning.count({ where: activeStrikesWhere(ownerId, now) }),
    db.warning.count({ where: { storeId: complaint.storeId } }),
    db.warning.count({ where: { storeId: complaint.storeId, rescindedAt: { not: null } } }),
    db.warning.findMany({ where: { storeId: complaint.storeId }, orderBy: { issuedAt: 'desc' }, take: STORE_HISTORY_LIST_LIMIT }),
    db.complaint.groupBy({ by: ['verdict'], where: earlier, _count: true }),
    db.complaint.findMany({ where: earlier, orderBy: { createdAt: 'desc' }, take: STORE_HISTORY_LIST_LIMIT }),
  ]);
  const earlierVerdicts: VerdictCounts = { counterfeit: 0, notCounterfeit: 0, insufficientEvidence: 0, undecided: 0 };
  for (const row of verdicts) earlierVerdicts[row.verdict ? VERDICT_KEYS[row.verdict] : 'undecided'] += row._count;
  const earlierComplaintCount = verdicts.reduce((sum, row) => sum + row._count, 0);
  return { activeStrikes, warningCount, rescindedWarningCount, warnings, earlierComplaintCount, earlierComplaints, earlierVerdicts };
}

/**
 * The complainant's record over every complaint they filed, this one included:
 * the share of decided complaints found COUNTERFEIT is the good-faith signal.
 */
export async function complainantRecord(db: Db, consumerId: string): Promise<ComplainantRecord> {
  const [byVerdict, byStatus] = await Promise.all([
    db.complaint.groupBy({ by: ['verdict'], where: { consumerId }, _count: true }),
    db.complaint.groupBy({ by: ['status'], where: { consumerId, status: { in: ['WITHDRAWN', 'EXPIRED'] } }, _count: true }),
  ]);
  const complaintsFiled = byVerdict.reduce((sum, row) => sum + row._count, 0);
  const decided = byVerdict.filter((row) => row.verdict !== null).reduce((sum, row) => sum + row._count, 0);
  const upheld = byVerdict.find((row) => row.verdict === 'COUNTERFEIT')?._count ?? 0;
  const status = (name: string) => byStatus.find((row) => row.status === name)?._count ?? 0;
  return {
    complaintsFiled,
    decided,
    upheld,
    upheldShare: decided === 0 ? null : upheld / decided,
    withdrawn: status('WITHDRAWN'),
    expired: status('EXPIRED'),
  };
}
