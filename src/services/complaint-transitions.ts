import type { ComplaintStatus, Prisma, Role } from '@prisma/client';
import type { Db } from '../db/client.js';
import { publishComplaintChanged } from '../events/complaint-events.js';
import { recordAudit } from './audit.js';

const DATE_FIELDS = ['evidenceDueAt', 'merchantResponseDueAt', 'reviewDueAt', 'appealDueAt', 'decidedAt'] as const;

/** Fields a transition may set; dates travel from the workflow as ISO strings. */
export type TransitionFields = Partial<
  Record<
    | (typeof DATE_FIELDS)[number]
    | 'merchantStatement'
    | 'assignedReviewerId'
    | 'verdict'
    | 'decisionNote'
    | 'decidedById'
    | 'compensationAmount'
    | 'compensationCurrency'
    | 'appealedByRole'
    | 'appealReason',
    string | null
  > & { escalated: boolean }
>;

export interface ComplaintTransition {
  complaintId: string;
  /** The transition applies only from these states. */
  from: ComplaintStatus[];
  to: ComplaintStatus | null;
  set: TransitionFields;
  event: { type: string; actorRole: Role | null; actorId: string | null; message: string };
  /** Unique per complaint: a retried activity finds its event and changes nothing. */
  dedupeKey: string;
}

function toData(set: TransitionFields): Prisma.ComplaintUpdateManyMutationInput {
  const data: Record<string, unknown> = { ...set };
  for (const field of DATE_FIELDS) {
    const value = set[field];
    if (typeof value === 'string') data[field] = new Date(value);
  }
  return data as Prisma.ComplaintUpdateManyMutationInput;
}

/** Writes one transition of a complaint, with its timeline event, once. Returns false if the complaint has moved on. */
export async function applyComplaintTransition(db: Db, transition: ComplaintTransition, now: Date): Promise<boolean> {
  const { complaintId, from, to, set, event, dedupeKey } = transition;
  return db.$transaction(async (tx) => {
    const done = await tx.complaintEvent.findUnique({ where: { complaintId_dedupeKey: { complaintId, dedupeKey } }, select: { id: true } });
    if (done) return true;
    const { count } = await tx.complaint.updateMany({
      where: { id: complaintId, status: { in: from } },
      data: { ...toData(set), ...(to ? { status: to } : {}) },
    });
    if (count === 0) return false;
    await tx.complaintEvent.create({ data: { complaintId, at: now, dedupeKey, ...event } });
    if (set.verdict) {
      await recordAudit(tx, {
        actorId: event.actorId,
        action: 'complaint.decided',
        entityType: 'Complaint',
        entityId: complaintId,
        reason: set.decisionNote ?? null,
        data: {
          verdict: set.verdict,
          compensation: set.compensationAmount ? `${set.compensationAmount} ${set.compensationCurrency}` : null,
        },
        at: now,
      });
    }
    await publishComplaintChanged(tx, complaintId);
    return true;
  });
}
