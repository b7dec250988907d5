import type { Prisma } from '@prisma/client';

type AuditWriter = Pick<Prisma.TransactionClient, 'auditEvent'>;

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  reason?: string | null;
  data?: Prisma.InputJsonValue;
  at?: Date;
}

/** Audit rows are written in the same transaction as the change they describe. */
export async function recordAudit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      reason: entry.reason ?? null,
      data: entry.data,
      ...(entry.at ? { at: entry.at } : {}),
    },
  });
}
