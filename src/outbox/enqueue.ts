import type { Prisma } from '@prisma/client';
import { workflowIdOf, type WorkflowMessage } from './messages.js';

/** PostgreSQL channel that wakes the relays; the payload is the task queue with something to deliver. */
export const OUTBOX_CHANNEL = 'workflow_outbox';

/**
 * Writes messages for workflows in the caller's transaction: they exist exactly
 * when the change they announce commits, and the worker's relay delivers them
 * whether or not Temporal is reachable right now. The notification, like the
 * rows, is sent only on commit.
 */
export async function enqueue(tx: Prisma.TransactionClient, taskQueue: string, messages: WorkflowMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const now = new Date();
  await tx.workflowOutbox.createMany({
    data: messages.map((message) => ({
      taskQueue,
      kind: message.kind,
      workflowId: workflowIdOf(message),
      payload: message,
      createdAt: now,
      nextAttemptAt: now,
    })),
  });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${taskQueue})`;
}
