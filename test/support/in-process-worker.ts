import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { createWorker } from '../../src/temporal/create-worker.js';
import { withFaults, type InjectedFaults } from './faults.js';
import { workflowBundlePath } from './workflow-bundle.js';

/** A worker running in the test's own process, on the pre-built bundle. */
export interface TestWorker {
  /** Graceful shutdown: finishes running activities first. */
  stop(): Promise<void>;
}

export async function startInProcessWorker(config: Config, db: Db, faults?: InjectedFaults): Promise<TestWorker> {
  const activities = withFaults(createActivities({ db, clock: () => new Date(), config }), faults);
  const { worker, connection } = await createWorker(config, { activities, workflowBundlePath });
  const running = worker.run();
  return {
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

export type { Worker };
