import type { Prisma } from '@prisma/client';
import type { Db } from '../db/client.js';
import { directSql, type NamedStatement } from '../db/direct-sql.js';

// Every object is announced before it is written: the intent is committed
// first, so a crash anywhere between the upload and the commit of the row that
// refers to the object leaves an intent naming the orphan, never an object
// nobody knows of. Committing the row settles the intent in the same transaction.

// One statement on the direct pool: Prisma's createMany wraps its one INSERT
// in a transaction of its own, three round trips for every upload.
const RECORD_INTENT_STATEMENT: NamedStatement = {
  name: 'record-upload-intent',
  text: `INSERT INTO "UploadIntent" ("storageKey", "createdAt", "attempts")
         SELECT key, $2::timestamp(3), 0 FROM unnest($1::text[]) AS key
         ON CONFLICT DO NOTHING`,
};

/** Records that these keys are about to be written; call before the upload starts. */
export async function recordUploadIntent(db: Db, storageKeys: string[]): Promise<void> {
  // Dates travel as ISO strings in UTC, as Prisma writes them.
  await directSql(db).rows(RECORD_INTENT_STATEMENT, [storageKeys, new Date().toISOString()]);
}

/** The objects are now referred to by a committed row; call inside the transaction that writes it. */
export async function settleUploadIntent(tx: Prisma.TransactionClient, storageKeys: string[]): Promise<void> {
  await tx.uploadIntent.deleteMany({ where: { storageKey: { in: storageKeys } } });
}
