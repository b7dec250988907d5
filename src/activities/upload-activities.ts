import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { sweepOrphanUploads, type OrphanSweepCounts } from '../services/orphan-uploads.js';
import type { ObjectStorage } from '../storage/object-storage.js';

export interface UploadActivityDeps {
  db: Db;
  storage: ObjectStorage;
  logger: Logger;
  clock: () => Date;
  config: Pick<Config, 'UPLOAD_ORPHAN_GRACE_SECONDS'>;
}

/** Intents one sweep handles when the caller names no limit; a backlog drains over successive runs. */
export const DEFAULT_SWEEP_LIMIT = 500;

export function createUploadActivities({ db, storage, logger, clock, config }: UploadActivityDeps) {
  return {
    /** Idempotent: removes objects no committed row refers to, and only those. */
    sweepOrphanUploads(options: { graceSeconds?: number; limit?: number } = {}): Promise<OrphanSweepCounts> {
      return sweepOrphanUploads(
        { db, storage, logger, clock },
        { graceSeconds: options.graceSeconds ?? config.UPLOAD_ORPHAN_GRACE_SECONDS, limit: options.limit ?? DEFAULT_SWEEP_LIMIT },
      );
    },
  };
}

export type UploadActivities = ReturnType<typeof createUploadActivities>;
