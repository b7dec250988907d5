import { Runtime } from '@temporalio/worker';
import type { Config } from '../config.js';

/**
 * Serves the worker's metrics to Prometheus at http://<WORKER_METRICS_ADDRESS>/metrics:
 * the SDK's own (task slots, poll and schedule-to-start latencies, workflow and
 * activity outcomes, prefixed `temporal_`) and those activities record on their
 * context's metricMeter (the sweep's `brand_auth_reconcile_*`). It must run
 * before the worker's first connection, once per process.
 */
export function installWorkerMetrics(config: Pick<Config, 'WORKER_METRICS_ADDRESS'>): boolean {
  if (!config.WORKER_METRICS_ADDRESS) return false;
  Runtime.install({
    telemetryOptions: {
      metrics: {
        prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS, countersTotalSuffix: true, useSecondsForDurations: true },
      },
    },
  });
  return true;
}
