import type { Prisma } from '@prisma/client';
import type { Db } from '../db/client.js';

// Every object is announced before it is written: the intent is committed
// first, so a crash anywhere between the upload and the commit of the row that
// refers to the object leaves an intent naming the orphan, never an object
// nobody knows of. Committing the row settles the intent in the same transaction.

/** Records that these keys are about to be written; call before the upload starts. */
export async function recordUploadIntent(db: Db, storageKeys: string[]): Promise<void> {
  await db.uploadIntent.createMany({ data: storageKeys.map((storageKey) => ({ storageKey })), skipDuplicates: true });
}

/** The objects are now referred to by a committed row; call inside the transaction that writes it. */
export async function settleUploadIntent(tx: Prisma.TransactionClient, storageKeys: string[]): Promise<void> {
  await tx.uploadIntent.deleteMany({ where: { storageKey: { in: storageKeys } } });
}
