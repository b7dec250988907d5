// A worker process for tests that must kill one: the production activities,
// wrapped with the faults named in BRAND_AUTH_TEST_FAULTS, on the pre-built bundle;
// held activities are announced on stdout and released through stdin.
import { createActivities } from '../../src/activities/index.js';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/client.js';
import { createWorker } from '../../src/temporal/create-worker.js';
import { stdioPauseChannel, withFaults } from './faults.js';
import { workflowBundlePath } from './workflow-bundle.js';

const config = loadConfig();
const db = createDb({ databaseUrl: config.DATABASE_URL });
const faults = process.env.BRAND_AUTH_TEST_FAULTS ? JSON.parse(process.env.BRAND_AUTH_TEST_FAULTS) : undefined;
const activities = withFaults(createActivities({ db, clock: () => new Date(), config }), faults, stdioPauseChannel());
const { worker } = await createWorker(config, { activities, workflowBundlePath });
process.once('SIGTERM', () => worker.shutdown());
console.log(JSON.stringify({ msg: 'worker started' }));
await worker.run();
await db.$disconnect();
