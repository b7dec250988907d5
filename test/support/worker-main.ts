// A worker process for tests that must kill one: the production activities,
// wrapped with the faults named in BRAND_AUTH_TEST_FAULTS, on the pre-built bundle;
// held activities are announced on stdout and released through stdin.
import { createActivities } from '../../src/activities/index.js';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createS3Storage } from '../../src/storage/object-storage.js';
import { connectTemporal } from '../../src/temporal/connect.js';
import { createWorker } from '../../src/temporal/create-worker.js';
import { startWorkerDuties } from '../../src/temporal/worker-duties.js';
import { stdioPauseChannel, withFaults } from './faults.js';
import { testWorkerConfig } from './in-process-worker.js';
import { workflowBundlePath } from './workflow-bundle.js';

const config = testWorkerConfig(loadConfig());
const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'brand-auth-worker');
const db = createDb({ databaseUrl: config.DATABASE_URL });
const temporal = connectTemporal(config);
const storage = createS3Storage(config);
const faults = process.env.BRAND_AUTH_TEST_FAULTS ? JSON.parse(process.env.BRAND_AUTH_TEST_FAULTS) : undefined;
const activities = withFaults(
  createActivities({ db, clock: () => new Date(), config, temporal: temporal.client, logger, storage }),
  faults,
  stdioPauseChannel(),
);
const { worker } = await createWorker(config, { activities, workflowBundlePath });
const duties = await startWorkerDuties(config, { db, client: temporal.client, logger }, { removeSchedule: true });
process.once('SIGTERM', () => worker.shutdown());
console.log(JSON.stringify({ msg: 'worker started' }));
await worker.run();
await duties.stop();
await temporal.connection.close();
await db.$disconnect();
