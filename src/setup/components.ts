import { isAbsolute } from 'node:path';
import { SetupError } from './background-process.js';
import { ensureS3 } from './minio-server.js';
import { ensureDatabase } from './postgres.js';
import { ensureTemporal } from './temporal-server.js';

export { SetupError } from './background-process.js';
export { resetDatabase } from './postgres.js';

export interface ComponentOptions {
  /** The caller's environment; DATABASE_URL, TEMPORAL_ADDRESS and S3_* in it replace the local components. */
  env: NodeJS.ProcessEnv;
  /** Local database to create if missing, e.g. 'brand_auth_dev'. */
  database: string;
  bucket: string;
  /** Absolute per-user directory (outside any checkout) where the local servers keep their data, logs and locks. */
  stateDir: string;
  log: (line: string) => void;
}

/** The settings the service's config needs to reach the components. */
export interface ComponentEnv {
  DATABASE_URL: string;
  TEMPORAL_ADDRESS: string;
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_BUCKET: string;
  S3_REGION: string;
}

/**
 * Makes PostgreSQL, Temporal and S3 available, building and starting local servers where the
 * environment does not name existing ones. Safe to call repeatedly: running servers are reused.
 * Expected problems are thrown as SetupError.
 */
export async function ensureComponents(opts: ComponentOptions): Promise<ComponentEnv> {
  if (!isAbsolute(opts.stateDir)) {
    throw new SetupError(`The state directory "${opts.stateDir}" must be an absolute path; fix BRAND_AUTH_STATE_DIR or XDG_STATE_HOME.`);
  }
  // PostgreSQL first: it answers in milliseconds, so a stopped database is reported before any long build.
  const DATABASE_URL = await ensureDatabase(opts);

  // Both servers may need a long first build; doing them side by side roughly halves a cold start.
  const [temporal, s3] = await Promise.allSettled([ensureTemporal(opts), ensureS3(opts)]);
  const failures = [temporal, s3].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const unexpected = failures.find((f) => !(f instanceof SetupError));
  if (unexpected !== undefined) throw unexpected;
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new SetupError(failures.map((f) => (f as SetupError).message).join('\n'));
  if (temporal.status !== 'fulfilled' || s3.status !== 'fulfilled') throw new Error('unreachable');

  return { DATABASE_URL, TEMPORAL_ADDRESS: temporal.value, ...s3.value };
}
