import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { timeOrderedId } from '../db/time-ordered-id.js';
import { sendWebhook } from './sender.js';
import { signatureHeaders, signingSecrets } from './signing.js';

export type WebhookDeliveryConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'WEBHOOK_TIMEOUT_SECONDS'
  | 'WEBHOOK_RETRY_INITIAL_SECONDS'
  | 'WEBHOOK_RETRY_MAX_INTERVAL_SECONDS'
  | 'WEBHOOK_RETRY_WINDOW_SECONDS'
>;

export interface DeliveryDeps {
  db: Db;
  clock: () => Date;
  config: WebhookDeliveryConfig;
}

export interface AttemptRef {
  deliveryId: string;
  series: number;
  /** 1 for the first attempt of the series. */
  number: number;
}

/** `stopped`: nothing more to send (the endpoint is gone or disabled, or a replay took over). */
export type AttemptOutcome = 'delivered' | 'failed' | 'stopped';

/** Production refuses local destinations and plain http; development and tests deliver to loopback receivers. */
export const urlRules = (config: Pick<Config, 'NODE_ENV'>) => ({ strict: config.NODE_ENV === 'production' });

/**
 * Makes one attempt and records it. An attempt already recorded (the activity
 * retried after recording it) is answered from its record without sending again.
 */
export async function attemptDelivery(deps: DeliveryDeps, ref: AttemptRef): Promise<AttemptOutcome> {
  const { db } = deps;
  const recorded = await db.webhookAttempt.findUnique({ where: { deliveryId_series_number: ref }, select: { succeeded: true } });
  if (recorded) return recorded.succeeded ? 'delivered' : 'failed';
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: ref.deliveryId },
    include: { event: { select: { id: true, body: true } }, endpoint: { include: { secrets: true } } },
  });
  if (!delivery || delivery.series !== ref.series) return 'stopped';
  if (!delivery.endpoint.enabled) {
    await db.webhookDelivery.updateMany({
      where: { id: ref.deliveryId, series: ref.series, status: 'PENDING' },
      data: { status: 'CANCELLED' },
    });
    return 'stopped';
  }
  const startedAt = deps.clock();
  const headers = signatureHeaders(signingSecrets(delivery.endpoint.secrets, startedAt), delivery.event.id, startedAt, delivery.event.body);
  const result = await sendWebhook(delivery.endpoint.url, headers, delivery.event.body, {
    ...urlRules(deps.config),
    timeoutMs: deps.config.WEBHOOK_TIMEOUT_SECONDS * 1000,
  });
  const succeeded = result.error === null;
  await db.$transaction([
    db.webhookAttempt.createMany({
      data: [
        {
          id: timeOrderedId(startedAt.getTime()),
          ...ref,
          startedAt,
          durationMs: result.durationMs,
          statusCode: result.statusCode,
          error: result.error?.slice(0, 1000) ?? null,
          succeeded,
        },
      ],
      skipDuplicates: true,
    }),
    db.webhookDelivery.updateMany({
      where: { id: ref.deliveryId, series: ref.series, status: 'PENDING' },
      data: succeeded ? { status: 'SUCCEEDED' } : {},
    }),
  ]);
  return succeeded ? 'delivered' : 'failed';
}

/** The retry window has passed without a 2xx answer. */
export async function giveUpDelivery(db: Db, ref: { deliveryId: string; series: number }): Promise<void> {
  await db.webhookDelivery.updateMany({ where: { id: ref.deliveryId, series: ref.series, status: 'PENDING' }, data: { status: 'FAILED' } });
}
