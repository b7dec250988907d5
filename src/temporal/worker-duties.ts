import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { startOutboxRelay } from '../outbox/relay.js';
import { deleteMaintenanceSchedule, ensureMaintenanceSchedule } from './maintenance-schedule.js';
import { startTransparencyLog, stopTransparencyLog } from './transparency-log-start.js';

export interface WorkerDuties {
  stop(): Promise<void>;
}

/**
 * What every worker runs beside its Temporal worker: the relay that delivers
 * the outbox to the task queue's workflows, and the schedule of the
 * maintenance sweeps. `removeSchedule` deletes the schedule on stop, for a
 * task queue that lives no longer than its worker.
 */
export async function startWorkerDuties(
  config: Config,
  parts: { db: Db; client: Client; logger: Logger },
  options: { removeSchedule?: boolean } = {},
): Promise<WorkerDuties> {
  await ensureMaintenanceSchedule(parts.client, config);
  await startTransparencyLog(parts.client, config);
  const relay = startOutboxRelay({
    db: parts.db,
    client: parts.client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    databaseUrl: config.DATABASE_URL,
    logger: parts.logger,
    maxRetrySeconds: config.OUTBOX_RETRY_MAX_SECONDS,
  });
  return {
    async stop() {
      await relay.stop();
      if (options.removeSchedule) {
        await deleteMaintenanceSchedule(parts.client, config.TEMPORAL_TASK_QUEUE).catch(() => undefined);
        await stopTransparencyLog(parts.client, config.TEMPORAL_TASK_QUEUE).catch(() => undefined);
      }
    },
  };
}
