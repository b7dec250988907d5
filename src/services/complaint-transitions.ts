import type { ComplaintStatus, Role } from '@prisma/client';
import type { Db } from '../db/client.js';
import type { EvidenceUpload } from '../../workflows/complaint-messages.js';
import { OPEN_COMPLAINT_STATUSES } from '../../workflows/complaint-rules.js';
import { recordAudit } from './audit.js';
import { publishComplaintFiled, publishComplaintTransition, publishesWebhookEvent } from '../webhooks/event-sources.js';
import {
  TRANSITION_STATEMENT,
  applyTransitionStatement,
  recordEvidenceStatement,
  transitionValues,
  type TransitionOutcome,
} from './complaint-statements.js';
import { logComplaintDecision } from '../transparency/log-events.js';

type DateField = 'evidenceDueAt' | 'merchantResponseDueAt' | 'reviewDueAt' | 'appealDueAt' | 'decidedAt' | 'informationDueAt';

/** Fields a transition may set; dates travel from the workflow as ISO strings. */
export type TransitionFields = Partial<
  Record<
    | DateField
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

/** Writes one transition of a complaint, with its timeline event, once. Returns false if the complaint has moved on. */
export async function applyComplaintTransition(db: Db, transition: ComplaintTransition, now: Date): Promise<boolean> {
  if (!publishesWebhookEvent(transition.set)) return applyTransitionStatement(db, transition, now);
  const { complaintId, set, event } = transition;
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRawUnsafe<TransitionOutcome[]>(TRANSITION_STATEMENT.text, ...transitionValues(transition, now));
    if (row!.done) return true;
    if (row!.moved === 0) return false;
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
    // Read once for the announcement and the log entry, as the transition left it.
    const complaint = await tx.complaint.findUniqueOrThrow({
      where: { id: complaintId },
      select: { id: true, storeId: true, brandId: true, status: true, verdict: true, appealedByRole: true, appealDueAt: true },
    });
    await publishComplaintTransition(tx, complaint, set);
    await logComplaintDecision(tx, complaint, set, transition.dedupeKey, now);
    return true;
  });
}

export interface FilingWrite {
  complaintId: string;
  consumerId: string;
  storeId: string;
  brandId: string | null;
  orderReference: string;
  description: string;
  listingUrl?: string | null;
  /** ISO dates from the workflow, so a retry writes the same row. */
  filedAt: string;
  evidenceDueAt: string;
  /** The consumer's open complaints may not exceed this. */
  maxOpen: number;
}

/**
 * Writes a filed complaint and its FILED event, unless the consumer has
 * `maxOpen` open complaints already: then writes nothing and returns false.
 * The id is the workflow's, so a retry after a commit finds its row and writes nothing.
 */
export async function writeFiling(db: Db, filing: FilingWrite): Promise<boolean> {
  return db.$transaction(async (tx) => {
    // Counted under the consumer's lock, so parallel filings can't all slip under the cap; the statement
    // taking the lock also tells whether an earlier attempt wrote this complaint.
    const [locked] = await tx.$queryRaw<Array<{ filed: boolean }>>`
      SELECT EXISTS (SELECT 1 FROM "Complaint" WHERE "id" = ${filing.complaintId}::uuid) AS "filed"
      FROM "Actor" WHERE "id" = ${filing.consumerId}::uuid FOR UPDATE`;
    if (locked?.filed) return true;
    const open = await tx.complaint.count({ where: { consumerId: filing.consumerId, status: { in: [...OPEN_COMPLAINT_STATUSES] } } });
    if (open >= filing.maxOpen) return false;
    const filedAt = new Date(filing.filedAt);
    const complaint = await tx.complaint.create({
      data: {
        id: filing.complaintId,
        consumerId: filing.consumerId,
        storeId: filing.storeId,
        brandId: filing.brandId,
        orderReference: filing.orderReference,
        description: filing.description,
        listingUrl: filing.listingUrl ?? null,
        evidenceDueAt: new Date(filing.evidenceDueAt),
        createdAt: filedAt,
      },
    });
    await tx.complaintEvent.create({
      data: {
        complaintId: filing.complaintId,
        at: filedAt,
        type: 'FILED',
        actorRole: 'CONSUMER',
        actorId: filing.consumerId,
        message: 'The consumer filed the complaint.',
        dedupeKey: 'filed',
      },
    });
    await publishComplaintFiled(tx, complaint);
    return true;
  });
}

export type EvidenceWrite = EvidenceUpload & { complaintId: string; uploadedById: string };

/**
 * Writes a photo the workflow accepted and settles its upload intent in the
 * same statement. The id is the API's, so a retry after a commit writes nothing.
 */
export async function writeEvidence(db: Db, evidence: EvidenceWrite, now = new Date()): Promise<void> {
  await recordEvidenceStatement(db, evidence, now);
}
