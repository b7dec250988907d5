import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config.js';
import { logKept } from '../transparency/log-keys.js';
import { transparencyLogWorkflow, transparencyLogWorkflowId } from '../../workflows/index.js';

/** Starts the log's integration workflow on this task queue unless it runs already; every worker calls it at start. */
export async function startTransparencyLog(client: Client, config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'TLOG_SIGNING_KEY'>) {
  if (!logKept(config)) return;
  await client.workflow.start(transparencyLogWorkflow, {
    workflowId: transparencyLogWorkflowId(config.TEMPORAL_TASK_QUEUE),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}

export async function stopTransparencyLog(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.workflow.getHandle(transparencyLogWorkflowId(taskQueue)).terminate('task queue removed');
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
