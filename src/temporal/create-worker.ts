import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { createActivities } from '../activities/index.js';
import type { Config } from '../config.js';

export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

// Workflow sources import with `.js` suffixes (ESM); the bundler must find the `.ts` files behind them.
export const bundlerOptions: WorkerOptions['bundlerOptions'] = {
  webpackConfigHook: (config) => {
    config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
    return config;
  },
};

export interface WorkerParts {
  activities: ReturnType<typeof createActivities>;
  /** Workflow code bundled beforehand (tests bundle once per run); bundled at start when absent. */
  workflowBundlePath?: string;
}

export async function createWorker(config: Config, { activities, workflowBundlePath }: WorkerParts) {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath, bundlerOptions }),
    activities,
    // After a worker dies, tasks queued to its sticky queue wait this long before
    // any worker may take them; badge and brand timers should fire close to on time.
    stickyQueueScheduleToStartTimeout: '3s',
  });
  return { worker, connection };
}
