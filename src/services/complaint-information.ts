import type { ComplaintStatus, Role } from '@prisma/client';
import type { Db } from '../db/client.js';
import { publishComplaintChanged } from '../events/complaint-events.js';
import type { TextRule } from './text-limits.js';

// A reviewer's request to one side of a complaint for more information: opened
// and closed (answered or expired) by the complaint's workflow, each in one
// transaction with its timeline event, once.

export const INFORMATION_TEXT_RULES = {
  requestNote: {
    label: 'The request note',
    min: 1,
    max: 2000,
    short: 'Say what you need: a request for more information needs a note.',
  },
  answerStatement: { label: 'The answer', min: 0, max: 5000 },
} as const satisfies Record<string, TextRule>;

interface TimelineEvent {
  type: string;
  actorRole: Role | null;
  actorId: string | null;
  message: string;
}

export interface InformationRequestWrite {
  complaintId: string;
  requestId: string;
  side: 'CONSUMER' | 'MERCHANT';
  note: string;
  requestedById: string;
  /** ISO dates from the workflow, so a retry writes the same row. */
  requestedAt: string;
  dueAt: string;
  /** The request is written only while the complaint is in one of these. */
  from: ComplaintStatus[];
  event: TimelineEvent;
  dedupeKey: string;
}

/** Opens the request: review waits for it, so the review deadline is cleared. False if the complaint has moved on. */
export async function writeInformationRequest(db: Db, request: InformationRequestWrite): Promise<boolean> {
  const { complaintId, dedupeKey } = request;
  return db.$transaction(async (tx) => {
    if (await tx.complaintEvent.findUnique({ where: { complaintId_dedupeKey: { complaintId, dedupeKey } }, select: { id: true } }))
      return true;
    const dueAt = new Date(request.dueAt);
    const { count } = await tx.complaint.updateMany({
      where: { id: complaintId, status: { in: request.from } },
      data: { informationDueAt: dueAt, reviewDueAt: null },
    });
    if (count === 0) return false;
    const requestedAt = new Date(request.requestedAt);
    await tx.complaintInformationRequest.create({
      data: {
        id: request.requestId,
        complaintId,
        side: request.side,
        note: request.note,
        requestedById: request.requestedById,
        requestedAt,
        dueAt,
      },
    });
    await tx.complaintEvent.create({ data: { complaintId, at: requestedAt, dedupeKey, ...request.event } });
    await publishComplaintChanged(tx, complaintId);
    return true;
  });
}

export interface InformationRequestClose {
  complaintId: string;
  requestId: string;
  /** The side's answer, or null when the deadline passed without one. */
  answer: { statement: string | null } | null;
  /** ISO dates from the workflow. */
  at: string;
  reviewDueAt: string;
  from: ComplaintStatus[];
  event: TimelineEvent;
  dedupeKey: string;
}

/** Closes the request, answered or expired, and restarts the review deadline. False if the complaint has moved on. */
export async function closeInformationRequest(db: Db, close: InformationRequestClose): Promise<boolean> {
  const { complaintId, dedupeKey } = close;
  return db.$transaction(async (tx) => {
    if (await tx.complaintEvent.findUnique({ where: { complaintId_dedupeKey: { complaintId, dedupeKey } }, select: { id: true } }))
      return true;
    const { count } = await tx.complaint.updateMany({
      where: { id: complaintId, status: { in: close.from } },
      data: { informationDueAt: null, reviewDueAt: new Date(close.reviewDueAt) },
    });
    if (count === 0) return false;
    const at = new Date(close.at);
    await tx.complaintInformationRequest.update({
      where: { id: close.requestId },
      data: close.answer ? { answeredAt: at, statement: close.answer.statement } : { expiredAt: at },
    });
    await tx.complaintEvent.create({ data: { complaintId, at, dedupeKey, ...close.event } });
    await publishComplaintChanged(tx, complaintId);
    return true;
  });
}
