import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { InconsistentCheckpointError, publishCheckpointIfDue } from '../transparency/checkpoints.js';
import { integratePending } from '../transparency/integration.js';
import { logIdentity, type LogConfig } from '../transparency/log-keys.js';
import { LogConflictError } from '../transparency/log-storage.js';

export interface TransparencyLogActivityDeps {
  db: Db;
  storage: ObjectStorage;
  logger: Logger;
  clock: () => Date;
  config: LogConfig;
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
