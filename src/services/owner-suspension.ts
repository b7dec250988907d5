import type { Prisma } from '@prisma/client';

// Strikes count per owner, not per store: a merchant whose store was suspended
// at strike 3 must not carry on under a new store. An owner is suspended while
// any store of theirs is; an overturned strike lifts both at once.

/** A suspended store of the owner, or null when the owner is in good standing. */
export function ownerSuspension(db: Prisma.TransactionClient, ownerId: string) {
  return db.store.findFirst({
    where: { ownerId, status: 'SUSPENDED' },
    select: { id: true, name: true, suspendedReason: true },
    orderBy: { createdAt: 'asc' },
  });
}

/**
 * Serializes what changes an owner's standing: numbering their strikes,
 * suspending their stores, opening a new store.
 */
export async function lockOwner(tx: Prisma.TransactionClient, ownerId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Actor" WHERE id = ${ownerId}::uuid FOR UPDATE`;
}
