import type { Prisma } from '@prisma/client';

/** PostgreSQL channel on which badge changes travel from whichever process made them to the API. */
export const BADGE_CHANGED_CHANNEL = 'badge_changed';

export interface BadgeChangedEvent {
  badgeId: string;
  storeId: string;
}

/**
 * Queued inside the transaction that changed the badge: PostgreSQL delivers it
 * only if that transaction commits, so subscribers never hear of a change that
 * was rolled back.
 */
export async function publishBadgeChanged(tx: Prisma.TransactionClient, event: BadgeChangedEvent): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${BADGE_CHANGED_CHANNEL}, ${JSON.stringify(event)})`;
}
