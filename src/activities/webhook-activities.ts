import { attemptDelivery, giveUpDelivery, type AttemptRef, type DeliveryDeps } from '../webhooks/deliveries.js';
import type { WebhookRetryPolicy } from '../../workflows/webhook-retry-schedule.js';

export type WebhookActivityDeps = DeliveryDeps;

export function createWebhookActivities(deps: WebhookActivityDeps) {
  return {
    /** Read once per series and kept in its history, so a changed setting never changes a running series. */
    async webhookRetryPolicy(): Promise<WebhookRetryPolicy> {
      return {
        initialSeconds: deps.config.WEBHOOK_RETRY_INITIAL_SECONDS,
        maxIntervalSeconds: deps.config.WEBHOOK_RETRY_MAX_INTERVAL_SECONDS,
        windowSeconds: deps.config.WEBHOOK_RETRY_WINDOW_SECONDS,
      };
    },
    attemptWebhookDelivery(ref: AttemptRef) {
      return attemptDelivery(deps, ref);
    },
    giveUpWebhookDelivery(ref: { deliveryId: string; series: number }) {
      return giveUpDelivery(deps.db, ref);
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
