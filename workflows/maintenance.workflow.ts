import { proxyActivities } from '@temporalio/workflow';
import type { ReconciliationActivities, WorkflowReconciliation } from '../src/activities/reconciliation-activities.js';
import type { UploadActivities } from '../src/activities/upload-activities.js';
import type { OrphanSweepCounts } from '../src/services/orphan-uploads.js';

const { reconcileWorkflows } = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '30 minutes',
  // Each page of the sweep heartbeats; a worker that died mid-sweep is noticed within this.
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
});

const { sweepOrphanUploads } = proxyActivities<UploadActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
});

/** What one maintenance run did, one entry per sweep. */
export interface MaintenanceReport {
  workflows: WorkflowReconciliation;
  /** Objects of uploads that never committed their row, removed after the grace period. */
  uploads: OrphanSweepCounts;
}

/**
 * The periodic upkeep a Temporal Schedule runs on each task queue: sweeps that
 * repair what a lost message or an outage left behind. Each sweep is one
 * idempotent activity, so a run that fails halfway is simply run again.
 */
export async function maintenanceWorkflow(): Promise<MaintenanceReport> {
  const workflows = await reconcileWorkflows();
  const uploads = await sweepOrphanUploads({});
  return { workflows, uploads };
}
