import type { Prisma } from '@prisma/client';

export const COMPLAINT_CHANGED_CHANNEL = 'complaint_changed';

/** Delivered by PostgreSQL when the changing transaction commits, like badge changes. */
export async function publishComplaintChanged(tx: Prisma.TransactionClient, complaintId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${COMPLAINT_CHANGED_CHANNEL}, ${complaintId})`;
}
