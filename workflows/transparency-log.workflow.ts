import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { TransparencyLogActivities } from '../src/activities/transparency-log-activities.js';

const { integrateTransparencyLog } = proxyActivities<TransparencyLogActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Steps run before the history is started afresh (each step adds a few events). */
const STEPS_PER_RUN = 200;

export const transparencyLogWorkflowId = (taskQueue: string) => `transparency-log-${taskQueue}`;

/**
 * Keeps the transparency log moving: every interval, pending entries are taken
 * in and a checkpoint is published when one is due. Runs for as long as the
 * worker's task queue exists; the activity holds the log's lock, so several
 * of these (one per deployment sharing the database) take turns safely.
 */
export async function transparencyLogWorkflow(): Promise<void> {
  for (let step = 0; step < STEPS_PER_RUN; step++) {
    const { nextInSeconds } = await integrateTransparencyLog();
    await sleep(nextInSeconds * 1000);
  }
  await continueAsNew<typeof transparencyLogWorkflow>();
}
