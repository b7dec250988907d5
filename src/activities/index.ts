import type { Client } from '@temporalio/client';
import type { Logger } from '../logger.js';
import { createBadgeActivities } from './badge-activities.js';
import { createBrandActivities } from './brand-activities.js';
import { createComplaintActivities, type ComplaintActivityDeps } from './complaint-activities.js';
import { createReconciliationActivities, type ReconciliationDeps } from './reconciliation-activities.js';

export type ActivityDeps = ComplaintActivityDeps & {
  config: ComplaintActivityDeps['config'] & ReconciliationDeps['config'];
  temporal: Client;
  logger: Logger;
};

/** All activities, built from their dependencies; the worker wires the real ones. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createBrandActivities(deps),
    ...createBadgeActivities(deps),
    ...createComplaintActivities(deps),
    ...createReconciliationActivities(deps),
  };
}
