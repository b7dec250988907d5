import type { Prisma } from '@prisma/client';
import { enqueue } from '../outbox/enqueue.js';

export { badgeWorkflowId, brandWorkflowId } from '../outbox/messages.js';

/**
 * How services tell workflows about a change: inside the change's own
 * transaction, as outbox messages the worker delivers after the commit. A
 * change is never saved without its message, and the caller's answer never
 * waits for Temporal.
 */
export interface WorkflowGateway {
  brandTrademarksChanged(tx: Prisma.TransactionClient, brandId: string): Promise<void>;
  /** Starts the badge's timers; starting twice is harmless. */
  badgeIssued(tx: Prisma.TransactionClient, badge: { id: string; expiresAt: Date }): Promise<void>;
  badgesRevoked(tx: Prisma.TransactionClient, badgeIds: string[]): Promise<void>;
  suspendBadge(tx: Prisma.TransactionClient, badgeId: string, until: Date, reason: string): Promise<void>;
  restoreBadge(tx: Prisma.TransactionClient, badgeId: string): Promise<void>;
}

/** `taskQueue`: the workers that own the workflows; their relay delivers the messages. */
export function createWorkflowGateway(options: { taskQueue: string; reminderLeadSeconds: number }): WorkflowGateway {
  const { taskQueue } = options;
  return {
    brandTrademarksChanged: (tx, brandId) => enqueue(tx, taskQueue, [{ kind: 'brandTrademarksChanged', brandId }]),
    badgeIssued: (tx, badge) =>
      enqueue(tx, taskQueue, [
        {
          kind: 'badgeIssued',
          badgeId: badge.id,
          expiresAt: badge.expiresAt.toISOString(),
          reminderLeadSeconds: options.reminderLeadSeconds,
        },
      ]),
    badgesRevoked: (tx, badgeIds) =>
      enqueue(
        tx,
        taskQueue,
        badgeIds.map((badgeId) => ({ kind: 'badgeRevoked', badgeId })),
      ),
    suspendBadge: (tx, badgeId, until, reason) =>
      enqueue(tx, taskQueue, [{ kind: 'badgeSuspended', badgeId, until: until.toISOString(), reason }]),
    restoreBadge: (tx, badgeId) => enqueue(tx, taskQueue, [{ kind: 'badgeRestored', badgeId }]),
  };
}
