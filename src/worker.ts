// Entry point of the Temporal worker: runs workflows and their activities,
// delivers the workflow outbox, and keeps the maintenance schedule.
import { createActivities } from './activities/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { createLogger } from './logger.js';
import { installTracingFromConfig } from './observability/tracing.js';
import { installWorkerMetrics } from './observability/worker-metrics.js';
import { createS3Storage } from './storage/object-storage.js';
import { connectTemporal } from './temporal/connect.js';
import { createWorker } from './temporal/create-worker.js';
import { startWorkerDuties } from './temporal/worker-duties.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'brand-auth-worker');
  // Both before the first connection: the SDK's runtime and the client interceptors are set up once.
  installWorkerMetrics(config);
  const tracing = installTracingFromConfig(config, 'brand-auth-worker');
  const db = createDb({ databaseUrl: config.DATABASE_URL });
  const temporal = connectTemporal(config);
  const storage = createS3Storage(config);
  const activities = createActivities({ db, clock: () => new Date(), config, temporal: temporal.client, logger, storage });
  const { worker, connection } = await createWorker(config, { activities });
  const duties = await startWorkerDuties(config, { db, client: temporal.client, logger });

  // Ctrl-C in a terminal reaches the worker, and `npm run dev` passes it on as SIGTERM too: shut down once.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'worker shutting down');
      worker.shutdown();
    });
  }
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      address: config.TEMPORAL_ADDRESS,
      metrics: config.WORKER_METRICS_ADDRESS ?? null,
      tracing: !!tracing,
    },
    'worker started',
  );
  await worker.run();
  await duties.stop();
  await connection.close();
  await temporal.connection.close();
  await db.$disconnect();
  // Its kept-alive sockets would otherwise hold the process open after the worker stopped.
  storage.destroy();
  await tracing?.shutdown();
  logger.info('worker stopped');
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('The worker stopped on an unexpected error:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
