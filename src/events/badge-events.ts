import type { Prisma } from '@prisma/client';
import { currentRequestId } from '../logger.js';

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
  noteBadgeChangeInRequest(event.storeId);
}

/** Requests of this process that changed badges, with the stores; read once as each request's mutation ends. */
const changedByRequest = new Map<string, Set<string>>();
const MAX_REQUESTS_REMEMBERED = 10_000;

function noteBadgeChangeInRequest(storeId: string): void {
  const requestId = currentRequestId();
  if (requestId === undefined) return;
  let stores = changedByRequest.get(requestId);
  if (!stores) {
    if (changedByRequest.size >= MAX_REQUESTS_REMEMBERED) changedByRequest.delete(changedByRequest.keys().next().value!);
    changedByRequest.set(requestId, (stores = new Set()));
  }
  stores.add(storeId);
}

/** The stores whose badges the request changed (a rolled-back change included: dropping an answer is always safe). */
export function badgeChangesOfRequest(requestId: string | undefined): string[] {
  if (requestId === undefined) return [];
  const stores = changedByRequest.get(requestId);
  changedByRequest.delete(requestId);
  return stores ? [...stores] : [];
}
