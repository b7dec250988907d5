import { createPubSub } from 'graphql-yoga';
import { createApp } from './app.js';
import { createTokenVerifier } from './auth/index.js';
import type { Config } from './config.js';
import { loadSigningKey } from './credentials/signing-key.js';
import { createDb } from './db/client.js';
import { BADGE_CHANGED_CHANNEL, type BadgeChangedEvent } from './events/badge-events.js';
import { listenToDatabase } from './events/database-listener.js';
import type { ServiceEvents } from './schema/context.js';
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
export async function createRuntime(config: Config, options: RuntimeOptions = {}) {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = createDb({ databaseUrl: config.DATABASE_URL, onQuery: options.onQuery });
  const storage = createS3Storage(config);
  const temporal = connectTemporal(config);
  const services: ServiceDeps = {
    config,
    db,
    storage,
    workflows: createWorkflowGateway(temporal.client, config.TEMPORAL_TASK_QUEUE, { reminderLeadSeconds: config.BADGE_RENEWAL_REMINDER_SECONDS }),
    logger,
    clock: () => new Date(),
    signingKey: await loadSigningKey(config),
  };
  const events = createPubSub<ServiceEvents>();
  const listener = listenToDatabase(
    config.DATABASE_URL,
    {
      [BADGE_CHANGED_CHANNEL]: (payload) => {
        const event = JSON.parse(payload) as BadgeChangedEvent;
        events.publish('badgeChanged', event.storeId, { badgeId: event.badgeId });
      },
    },
    logger,
  );
  const app = createApp({
    services,
    verifyToken: createTokenVerifier(config),
    events,
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
      await listener.close();
      await temporal.connection.close().catch(() => undefined);
      await db.$disconnect();
      storage.destroy();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
