import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import type { Config } from '../../src/config.js';
import { createDb } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createS3Storage } from '../../src/storage/object-storage.js';
import { connectTemporal } from '../../src/temporal/connect.js';
import { createWorker } from '../../src/temporal/create-worker.js';
import { startWorkerDuties } from '../../src/temporal/worker-duties.js';
import { withFaults, type InjectedFaults } from './faults.js';
import { workflowBundlePath } from './workflow-bundle.js';

/** A worker running in the test's own process, on the pre-built bundle. */
export interface TestWorker {
  /** Graceful shutdown: finishes running activities first. */
  stop(): Promise<void>;
}

/**
 * Tests share one database among many stacks, each with its own task queue:
 * a worker's sweep checks only what its own stack wrote.
 */
export function testWorkerConfig(config: Config): Config {
  return { ...config, RECONCILE_SCOPE: 'task-queue' };
}

/**
 * The worker keeps a database pool of its own, as a worker process would, so
 * its statements (activities, the relay's polling) never show among the API's
 * that tests count.
 */
export async function startInProcessWorker(stackConfig: Config, faults?: InjectedFaults): Promise<TestWorker> {
  const config = testWorkerConfig(stackConfig);
  const db = createDb({ databaseUrl: config.DATABASE_URL, maxConnections: 4 });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'brand-auth-worker');
  const temporal = connectTemporal(config);
  const storage = createS3Storage(config);
  const activities = withFaults(
    createActivities({ db, clock: () => new Date(), config, temporal: temporal.client, logger, storage }),
    faults,
  );
  const { worker, connection } = await createWorker(config, { activities, workflowBundlePath });
  const running = worker.run();
  // The stack's task queue ends with the test file, so its schedule does too.
  const duties = await startWorkerDuties(config, { db, client: temporal.client, logger }, { removeSchedule: true });
  return {
    async stop() {
      await duties.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close().catch(() => undefined);
      await temporal.connection.close().catch(() => undefined);
      storage.destroy();
      await db.$disconnect();
    },
  };
}

export type { Worker };
