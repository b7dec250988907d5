import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { ObjectStorage } from '../storage/object-storage.js';

export interface OrphanSweepDeps {
  db: Db;
  storage: ObjectStorage;
  logger: Logger;
  clock: () => Date;
}

export interface OrphanSweepOptions {
  /**
   * How old an intent must be before its object counts as orphaned. It must be
   * longer than any upload takes from its intent to the commit of its row, or a
   * sweep could remove the object of an upload still on its way.
   */
  graceSeconds: number;
  /** Intents handled in one sweep; the rest wait for the next. */
  limit: number;
}

export interface OrphanSweepCounts {
  /** Objects removed (or found already gone) and their intents deleted. */
  removed: number;
  /** Objects the store could not remove; their intents stay for the next sweep. */
  failed: number;
  /** Intents whose object a committed row does refer to; only the intent was deleted. */
  kept: number;
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);

/** The keys among `storageKeys` that a committed Document or Evidence row refers to. */
async function referencedKeys(db: Db, storageKeys: string[]): Promise<Set<string>> {
  const [documents, evidence] = await Promise.all([
    db.document.findMany({ where: { storageKey: { in: storageKeys } }, select: { storageKey: true } }),
    db.evidence.findMany({
      where: { OR: [{ storageKey: { in: storageKeys } }, { thumbnailKey: { in: storageKeys } }] },
      select: { storageKey: true, thumbnailKey: true },
    }),
  ]);
  return new Set([...documents.map((d) => d.storageKey), ...evidence.flatMap((e) => [e.storageKey, e.thumbnailKey])]);
}

/**
 * Removes the objects of uploads whose row was never committed: a process that
 * crashed between the upload and the commit, or a removal that failed when the
 * commit did. An intent outlives its grace period only then, because the
 * transaction that writes the row also deletes the intent. Every step is
 * idempotent, so sweeps may overlap or be repeated after a crash.
 */
export async function sweepOrphanUploads(deps: OrphanSweepDeps, options: OrphanSweepOptions): Promise<OrphanSweepCounts> {
  const cutoff = new Date(deps.clock().getTime() - options.graceSeconds * 1000);
  // Never-tried intents first, then the longest-waiting retries, so a few objects that keep failing don't hold up the rest.
  const intents = await deps.db.uploadIntent.findMany({
    where: { createdAt: { lte: cutoff } },
    orderBy: [{ lastTryAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
    take: options.limit,
    select: { storageKey: true, attempts: true },
  });
  const counts: OrphanSweepCounts = { removed: 0, failed: 0, kept: 0 };
  if (intents.length === 0) return counts;

  const referenced = await referencedKeys(
    deps.db,
    intents.map((i) => i.storageKey),
  );
  for (const { storageKey, attempts } of intents) {
    if (referenced.has(storageKey)) {
      await deps.db.uploadIntent.deleteMany({ where: { storageKey } });
      counts.kept++;
      continue;
    }
    try {
      // Deleting a key that holds no object succeeds, so an upload that never arrived counts as removed.
      await deps.storage.remove(storageKey);
    } catch (error) {
      await deps.db.uploadIntent.updateMany({
        where: { storageKey },
        data: { attempts: { increment: 1 }, lastError: describeError(error), lastTryAt: deps.clock() },
      });
      deps.logger.warn(
        { err: error, storageKey, attempts: attempts + 1 },
        'an orphaned upload could not be removed; the next sweep retries',
      );
      counts.failed++;
      continue;
    }
    await deps.db.uploadIntent.deleteMany({ where: { storageKey } });
    counts.removed++;
  }
  const level = counts.failed > 0 ? 'warn' : 'info';
  deps.logger[level]({ ...counts, graceSeconds: options.graceSeconds }, 'orphaned uploads swept');
  return counts;
}
