import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config.js';
import { maintenanceWorkflow } from '../../workflows/index.js';

/** One schedule per task queue: deployments (and test stacks) sharing a Temporal namespace each sweep their own. */
export const maintenanceScheduleId = (taskQueue: string) => `maintenance-${taskQueue}`;

/**
 * Creates the schedule that runs the maintenance workflow, or brings an
 * existing one to this config's interval; every worker calls it at start.
 */
export async function ensureMaintenanceSchedule(
  client: Client,
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'RECONCILE_INTERVAL_SECONDS'>,
) {
  const scheduleId = maintenanceScheduleId(config.TEMPORAL_TASK_QUEUE);
  const options = {
    scheduleId,
    spec: { intervals: [{ every: `${config.RECONCILE_INTERVAL_SECONDS}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: maintenanceWorkflow,
      workflowId: scheduleId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      // A run nobody picks up (no worker on the queue) gives way to the next one.
      workflowExecutionTimeout: `${Math.max(config.RECONCILE_INTERVAL_SECONDS, 3600)}s`,
    },
    policies: { overlap: 'SKIP' },
  } satisfies ScheduleOptions;
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
  }
}

export async function deleteMaintenanceSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.getHandle(maintenanceScheduleId(taskQueue)).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}
