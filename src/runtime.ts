import { createApp } from './app.js';
import { createTokenVerifier } from './auth/index.js';
import type { Config } from './config.js';
import { createDb } from './db/client.js';
import { createLogger, type Logger } from './logger.js';
import type { ServiceDeps } from './services/service-deps.js';
import { createS3Storage } from './storage/object-storage.js';
import { connectTemporal } from './temporal/connect.js';
import { createWorkflowGateway } from './temporal/workflow-gateway.js';

export interface RuntimeOptions {
  logger?: Logger;
  /** Observes every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
}

/** Wires the API's real dependencies from the config. */
export function createRuntime(config: Config, options: RuntimeOptions = {}) {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = createDb({ databaseUrl: config.DATABASE_URL, onQuery: options.onQuery });
  const storage = createS3Storage(config);
  const temporal = connectTemporal(config);
  const services: ServiceDeps = {
    config,
    db,
    storage,
    workflows: createWorkflowGateway(temporal.client, config.TEMPORAL_TASK_QUEUE),
    logger,
    clock: () => new Date(),
  };
  const app = createApp({
    services,
    verifyToken: createTokenVerifier(config),
    readiness: {
      database: () => db.$queryRaw`SELECT 1`,
      temporal: () => temporal.connection.workflowService.getSystemInfo({}),
      storage: () => storage.checkReachable(),
    },
  });

  return {
    app,
    services,
    temporal,
    async close() {
      await temporal.connection.close().catch(() => undefined);
      await db.$disconnect();
      storage.destroy();
    },
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
