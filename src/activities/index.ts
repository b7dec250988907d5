import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { createBadgeActivities } from './badge-activities.js';
import { createBrandActivities, type BrandActivityDeps } from './brand-activities.js';
import { createComplaintActivities, type ComplaintActivityDeps } from './complaint-activities.js';
import { createReconciliationActivities, type ReconciliationDeps } from './reconciliation-activities.js';
import { createTransparencyLogActivities, type TransparencyLogActivityDeps } from './transparency-log-activities.js';
import { createUploadActivities } from './upload-activities.js';
import { createWebhookActivities, type WebhookActivityDeps } from './webhook-activities.js';

export type ActivityDeps = ComplaintActivityDeps & {
  config: ComplaintActivityDeps['config'] &
    ReconciliationDeps['config'] &
    Pick<Config, 'UPLOAD_ORPHAN_GRACE_SECONDS'> &
    WebhookActivityDeps['config'] &
    BrandActivityDeps['config'] &
    TransparencyLogActivityDeps['config'];
  temporal: Client;
  logger: Logger;
  /** The bucket the orphan sweep removes objects from. */
  storage: ObjectStorage;
};

/** All activities, built from their dependencies; the worker wires the real ones. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createBrandActivities(deps),
    ...createBadgeActivities(deps),
    ...createComplaintActivities(deps),
    ...createReconciliationActivities(deps),
    ...createUploadActivities(deps),
    ...createWebhookActivities(deps),
    ...createTransparencyLogActivities(deps),
  };
}
