import { createPubSub } from 'graphql-yoga';
import { createApp } from './app.js';
import { createTokenVerifier } from './auth/index.js';
import type { Config } from './config.js';
import { loadSigningKey } from './credentials/signing-key.js';
import { createDb } from './db/client.js';
import { BADGE_CHANGED_CHANNEL, type BadgeChangedEvent } from './events/badge-events.js';
import { COMPLAINT_CHANGED_CHANNEL } from './events/complaint-events.js';
import { listenToDatabase } from './events/database-listener.js';
import { withDecodeLimit } from './images/decode-limit.js';
import { restrictImageLoaders } from './images/image-loaders.js';
import { createRateLimiters } from './http/rate-limit-store.js';
import { StorefrontCache } from './http/storefront-cache.js';
import { createSharpImageProcessor } from './images/image-processor.js';
import { createComplaintGateway } from './temporal/complaint-gateway.js';
import type { ServiceEvents } from './schema/context.js';
import { createLogger, type Logger } from './logger.js';
import type { ServiceDeps } from './services/service-deps.js';
import { createS3Storage } from './storage/object-storage.js';
import { WEBHOOK_EVENT_CHANNEL, type WebhookEventNotice } from './webhooks/publish.js';
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
  // Before any upload is read: libvips parsers the service never needs stay unreachable.
  restrictImageLoaders();
  const db = createDb({ databaseUrl: config.DATABASE_URL, onQuery: options.onQuery });
  const storage = createS3Storage(config);
  const temporal = connectTemporal(config);
  const services: ServiceDeps = {
    config,
    db,
    storage,
    workflows: createWorkflowGateway({ taskQueue: config.TEMPORAL_TASK_QUEUE, reminderLeadSeconds: config.BADGE_RENEWAL_REMINDER_SECONDS }),
    logger,
    clock: () => new Date(),
    signingKey: await loadSigningKey(config),
    complaints: createComplaintGateway(
      temporal.client,
      config.TEMPORAL_TASK_QUEUE,
      {
        evidenceWindowSeconds: config.COMPLAINT_EVIDENCE_WINDOW_SECONDS,
        merchantWindowSeconds: config.COMPLAINT_MERCHANT_WINDOW_SECONDS,
        reviewSlaSeconds: config.COMPLAINT_REVIEW_SLA_SECONDS,
        appealWindowSeconds: config.COMPLAINT_APPEAL_WINDOW_SECONDS,
        strikeSuspensionSeconds: config.BADGE_SUSPENSION_SECONDS,
      },
      { stepWaitSeconds: config.COMPLAINT_STEP_WAIT_SECONDS },
    ),
    images: withDecodeLimit(createSharpImageProcessor(), config.IMAGE_DECODE_CONCURRENCY),
  };
  const events = createPubSub<ServiceEvents>();
  const storefrontCache = new StorefrontCache();
  const listener = listenToDatabase(
    config.DATABASE_URL,
    {
      [COMPLAINT_CHANGED_CHANNEL]: (complaintId) => events.publish('complaintUpdated', complaintId, { complaintId }),
      [BADGE_CHANGED_CHANNEL]: (payload) => {
        const event = JSON.parse(payload) as BadgeChangedEvent;
        storefrontCache.storesChanged([event.storeId]);
        events.publish('badgeChanged', event.storeId, { badgeId: event.badgeId });
      },
      [WEBHOOK_EVENT_CHANNEL]: (payload) => {
        const notice = JSON.parse(payload) as WebhookEventNotice;
        if (notice.brandId) events.publish('brandEvents', notice.brandId, { eventId: notice.eventId });
      },
    },
    logger,
  );
  const rateLimiters = await createRateLimiters(config, logger);
  const app = createApp({
    services,
    rateLimiters,
    storefrontCache,
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
      await rateLimiters.close();
      await temporal.connection.close().catch(() => undefined);
      await db.$disconnect();
      storage.destroy();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
