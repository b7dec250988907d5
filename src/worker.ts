// Entry point of the Temporal worker: runs workflows and their activities.
import { createActivities } from './activities/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { createLogger } from './logger.js';
import { createWorker } from './temporal/create-worker.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'brand-auth-worker');
  const db = createDb({ databaseUrl: config.DATABASE_URL });
  const { worker, connection } = await createWorker(config, { activities: createActivities({ db, clock: () => new Date(), config }) });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'worker shutting down');
      worker.shutdown();
    });
  }
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker started');
  await worker.run();
  await connection.close();
  await db.$disconnect();
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
