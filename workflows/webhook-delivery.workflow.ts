import { patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { WebhookActivities } from '../src/activities/webhook-activities.js';
import { nextAttemptDelayMs } from './webhook-retry-schedule.js';

const { webhookRetryPolicy, attemptWebhookDelivery, giveUpWebhookDelivery } = proxyActivities<WebhookActivities>({
  // Above the longest request the config allows (60 s), plus the database writes.
  startToCloseTimeout: '2 minutes',
  // Retries here are for the activity failing (database down), not the receiver: its answers are outcomes.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const LAST_ATTEMPT_AT_WINDOW_END = 'webhook-last-attempt-at-window-end';

export interface WebhookDeliveryInput {
  deliveryId: string;
  series: number;
}

export type WebhookDeliveryResult = 'delivered' | 'failed' | 'stopped';

/**
 * Sends one event to one endpoint: attempts until a 2xx answer, waiting longer
 * after each failure, for the configured window (a day or more in production).
 * Every attempt is recorded by its activity.
 */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
  const policy = await webhookRetryPolicy();
  const started = Date.now();
  for (let number = 1; ; number++) {
    const attemptStarted = Date.now();
    const outcome = await attemptWebhookDelivery({ ...input, number });
    if (outcome !== 'failed') return outcome;
    // Deliveries that began under the earlier rule (give up once a failure ends past the window) keep it on replay.
    const fromAttemptStart = patched(LAST_ATTEMPT_AT_WINDOW_END);
    const delay = nextAttemptDelayMs(number, Date.now() - started, policy, fromAttemptStart ? attemptStarted - started : undefined);
    if (delay === null) {
      await giveUpWebhookDelivery(input);
      return 'failed';
    }
    if (delay > 0) await sleep(delay);
  }
}
