import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createLogger } from '../logger.js';
import { createS3Storage, type ObjectStorage } from '../storage/object-storage.js';
import { createBadgeActivities } from './badge-activities.js';
import { createBrandActivities } from './brand-activities.js';
import { createComplaintActivities, type ComplaintActivityDeps } from './complaint-activities.js';
import { createUploadActivities } from './upload-activities.js';

export type ActivityDeps = ComplaintActivityDeps & {
  config: Pick<
    Config,
    | 'LOG_LEVEL'
    | 'UPLOAD_ORPHAN_GRACE_SECONDS'
    | 'S3_ENDPOINT'
    | 'S3_REGION'
    | 'S3_ACCESS_KEY_ID'
    | 'S3_SECRET_ACCESS_KEY'
    | 'S3_BUCKET'
    | 'S3_FORCE_PATH_STYLE'
  >;
  /** The bucket the sweep removes orphans from; by default the one the config names. */
  storage?: ObjectStorage;
  logger?: Logger;
};

/** All activities, built from their dependencies; the worker wires the real ones. */
export function createActivities(deps: ActivityDeps) {
  const storage = deps.storage ?? createS3Storage(deps.config);
  const logger = deps.logger ?? createLogger(deps.config.LOG_LEVEL, 'brand-auth-worker');
  return {
    ...createBrandActivities(deps),
    ...createBadgeActivities(deps),
    ...createComplaintActivities(deps),
    ...createUploadActivities({ ...deps, storage, logger }),
  };
}
