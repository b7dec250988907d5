import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { createActivities } from '../activities/index.js';
import type { Config } from '../config.js';
import { tracedWorkerOptions } from '../observability/temporal-tracing.js';
import { activeTracing, type Tracing } from '../observability/tracing.js';

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
  /**
   * Workflow code bundled beforehand (tests bundle once per run); bundled at start when absent.
   * A traced worker always bundles its own, since the tracing interceptors must be inside the bundle.
   */
  workflowBundlePath?: string;
  /** Spans for workflows and activities, continuing the trace of whoever started them; off when absent. */
  tracing?: Tracing;
}

export async function createWorker(config: Config, { activities, workflowBundlePath, tracing = activeTracing() }: WorkerParts) {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(workflowBundlePath && !tracing ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath, bundlerOptions }),
    ...(tracing ? tracedWorkerOptions(tracing) : {}),
    activities,
    // After a worker dies, tasks queued to its sticky queue wait this long before
    // any worker may take them; badge and brand timers should fire close to on time.
    stickyQueueScheduleToStartTimeout: '3s',
  });
  return { worker, connection };
}
