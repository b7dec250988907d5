import type { Db } from '../db/client.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { TILE_WIDTH, TileAppender, bundlePath, partialTiles, tilePath } from '../tlog/index.js';
import { readLogObjects, writeTiles } from './log-storage.js';

// Integration runs in two steps so that a crash anywhere repeats the same work:
// indexes are assigned and committed first; the tiles of assigned entries are
// then written and the integrated size advanced. A step cut short after its
// writes finds the same entries at the same indexes on retry, hence the same
// bytes, which the write-once store accepts.

const STATE_ID = 1;
// Long enough for a batch's tile writes; the state row stays locked meanwhile.
const TRANSACTION = { timeout: 120_000, maxWait: 30_000 } as const;

export interface LogState {
  assignedSize: number;
  integratedSize: number;
  integratedRoot: Buffer | null;
  signedSize: number | null;
  signedRoot: Buffer | null;
  signedAt: Date | null;
  publishedAt: Date | null;
}

type StateRow = Pick<LogState, 'signedAt' | 'publishedAt'> & {
  assignedSize: bigint;
  integratedSize: bigint;
  integratedRoot: Uint8Array | null;
  signedSize: bigint | null;
  signedRoot: Uint8Array | null;
};

const toState = (row: StateRow): LogState => ({
  ...row,
  assignedSize: Number(row.assignedSize),
  integratedSize: Number(row.integratedSize),
  integratedRoot: row.integratedRoot && Buffer.from(row.integratedRoot),
  signedSize: row.signedSize === null ? null : Number(row.signedSize),
  signedRoot: row.signedRoot && Buffer.from(row.signedRoot),
});

/** Reads the state row, locking it until the transaction ends: integration steps take turns on it. */
export async function lockLogState(tx: Pick<Db, '$queryRaw'>): Promise<LogState> {
  const [row] = await tx.$queryRaw<StateRow[]>`
    SELECT "assignedSize", "integratedSize", "integratedRoot", "signedSize", "signedRoot", "signedAt", "publishedAt"
    FROM "TransparencyLogState" WHERE "id" = ${STATE_ID} FOR UPDATE`;
  if (!row) throw new Error('The transparency log has no state row; apply the database migrations.');
  return toState(row);
}

/**
 * Whether the log lives in this bucket: the first integrator claims the log for
 * its bucket; a worker writing elsewhere (another deployment or environment on
 * the same database) must not split the log's tiles across buckets.
 */
export async function holdsLog(db: Db, storageName: string): Promise<boolean> {
  await db.$executeRaw`UPDATE "TransparencyLogState" SET "storage" = ${storageName} WHERE "id" = ${STATE_ID} AND "storage" IS NULL`;
  const [row] = await db.$queryRaw<Array<{ storage: string }>>`SELECT "storage" FROM "TransparencyLogState" WHERE "id" = ${STATE_ID}`;
  return row?.storage === storageName;
}

/** Gives the oldest pending entries (by the order they were written) the next indexes. Returns how many. */
export async function assignIndexes(db: Db, batch: number): Promise<number> {
  return db.$transaction(async (tx) => {
    const state = await lockLogState(tx);
    const assigned = await tx.$executeRaw`
      UPDATE "TransparencyLogEntry" e SET "logIndex" = ${state.assignedSize}::bigint + p.n
      FROM (SELECT "seq", row_number() OVER (ORDER BY "seq") - 1 AS n
            FROM "TransparencyLogEntry" WHERE "logIndex" IS NULL ORDER BY "seq" LIMIT ${batch}) p
      WHERE e."seq" = p."seq"`;
    if (assigned > 0)
      await tx.$executeRaw`UPDATE "TransparencyLogState" SET "assignedSize" = "assignedSize" + ${assigned} WHERE "id" = ${STATE_ID}`;
    return assigned;
  }, TRANSACTION);
}

/** The log's right edge at `size`: its partial tiles and entry bundle, read back from storage. */
export async function resumeAppender(storage: ObjectStorage, size: number, root: Buffer | null): Promise<TileAppender> {
  if (size === 0) return TileAppender.empty();
  const paths = partialTiles(size).map(tilePath);
  if (size % TILE_WIDTH > 0) paths.push(bundlePath({ index: Math.floor(size / TILE_WIDTH), width: size % TILE_WIDTH }));
  const appender = TileAppender.resume(size, await readLogObjects(storage, paths));
  if (!root || !appender.root().equals(root)) throw new Error(`The stored tiles of size ${size} do not give the recorded root.`);
  return appender;
}

/**
 * Writes the tiles of up to `batch` assigned entries and advances the
 * integrated size. Returns the new size.
 */
export async function integrateAssigned(db: Db, storage: ObjectStorage, batch: number): Promise<{ from: number; size: number }> {
  return db.$transaction(async (tx) => {
    const state = await lockLogState(tx);
    const from = state.integratedSize;
    const to = Math.min(state.assignedSize, from + batch);
    if (to === from) return { from, size: from };
    const rows = await tx.$queryRaw<Array<{ logIndex: bigint; entry: Uint8Array }>>`
      SELECT "logIndex", "entry" FROM "TransparencyLogEntry"
      WHERE "logIndex" >= ${from}::bigint AND "logIndex" < ${to}::bigint ORDER BY "logIndex"`;
    rows.forEach((row, i) => {
      if (Number(row.logIndex) !== from + i) throw new Error(`The transparency log has no entry at index ${from + i}.`);
    });
    if (rows.length !== to - from) throw new Error(`The transparency log is missing entries below ${to}.`);
    const appender = await resumeAppender(storage, from, state.integratedRoot);
    const { root, writes } = appender.append(rows.map((r) => r.entry));
    await writeTiles(storage, writes);
    await tx.$executeRaw`
      UPDATE "TransparencyLogState" SET "integratedSize" = ${to}::bigint, "integratedRoot" = ${root} WHERE "id" = ${STATE_ID}`;
    return { from, size: to };
  }, TRANSACTION);
}

/** Takes every pending entry into the log, a batch at a time. Returns the integrated size. */
export async function integratePending(db: Db, storage: ObjectStorage, batch: number): Promise<number> {
  for (;;) {
    const assigned = await assignIndexes(db, batch);
    let step = await integrateAssigned(db, storage, batch);
    while (step.size > step.from) step = await integrateAssigned(db, storage, batch);
    if (assigned < batch) return step.size;
  }
}
