import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { InconsistentCheckpointError, publishCheckpointIfDue } from '../transparency/checkpoints.js';
import { holdsLog, integratePending } from '../transparency/integration.js';
import { logIdentity, type LogConfig } from '../transparency/log-keys.js';
import { LogConflictError } from '../transparency/log-storage.js';

export interface TransparencyLogActivityDeps {
  db: Db;
  storage: ObjectStorage;
  logger: Logger;
  clock: () => Date;
  config: LogConfig & Pick<Config, 'S3_ENDPOINT' | 'S3_BUCKET'>;
}

export interface LogStep {
  size: number;
  published: boolean;
  /** Seconds until the next step is worth running. */
  nextInSeconds: number;
}

export function createTransparencyLogActivities(deps: TransparencyLogActivityDeps) {
  return {
    /**
     * Idempotent: takes pending entries into the log and publishes a checkpoint
     * when one is due. A conflict in storage or an inconsistent tree stops the
     * log (no retry): it needs an operator, not another attempt.
     */
    async integrateTransparencyLog(): Promise<LogStep> {
      const nextInSeconds = deps.config.TLOG_CHECKPOINT_INTERVAL_SECONDS;
      if (!logIdentity(deps.config)) return { size: 0, published: false, nextInSeconds };
      const bucket = `${deps.config.S3_ENDPOINT}/${deps.config.S3_BUCKET}`;
      if (!(await holdsLog(deps.db, bucket))) {
        deps.logger.warn({ bucket }, 'the transparency log lives in another bucket; this worker leaves it alone');
        return { size: 0, published: false, nextInSeconds };
      }
      try {
        const size = await integratePending(deps.db, deps.storage, deps.config.TLOG_BATCH_SIZE);
        const outcome = await publishCheckpointIfDue(deps);
        return { size, published: outcome.published, nextInSeconds };
      } catch (error) {
        if (error instanceof LogConflictError || error instanceof InconsistentCheckpointError) {
          deps.logger.error({ err: error }, 'transparency log stopped');
          throw ApplicationFailure.nonRetryable(error.message, error.name);
        }
        throw error;
      }
    },
  };
}

export type TransparencyLogActivities = ReturnType<typeof createTransparencyLogActivities>;
