import type { Prisma, WebhookEventType } from '@prisma/client';
import { timeOrderedId } from '../db/time-ordered-id.js';
import { enqueue } from '../outbox/enqueue.js';
import type { WorkflowMessage } from '../outbox/messages.js';
import { WEBHOOK_EVENT_NAMES } from './event-types.js';

/** PostgreSQL channel on which events reach the API's live subscribers once their transaction commits. */
export const WEBHOOK_EVENT_CHANNEL = 'webhook_event';

export interface WebhookEventNotice {
  eventId: string;
  brandId: string | null;
  storeId: string | null;
}

export interface WebhookEventInput {
  type: WebhookEventType;
  /** The brand and the store the event concerns; endpoints of either receive it. */
  brandId: string | null;
  storeId: string | null;
  /** Ids in it are the API's global ids, so receivers can query what changed. */
  data: Record<string, unknown>;
}

/**
 * Records an event in the caller's transaction and fans it out there: one
 * delivery per enabled endpoint of its brand or store that asked for its type,
 * each with an outbox message that starts its workflow after the commit. A
 * rolled-back change leaves no event, no delivery and no live notification.
 */
export async function publishWebhookEvent(tx: Prisma.TransactionClient, input: WebhookEventInput, now = new Date()): Promise<string> {
  const id = timeOrderedId(now.getTime());
  const body = JSON.stringify({ type: WEBHOOK_EVENT_NAMES[input.type], timestamp: now.toISOString(), data: input.data });
  const notice: WebhookEventNotice = { eventId: id, brandId: input.brandId, storeId: input.storeId };
  // The event, its live notification (sent at commit) and the endpoints to
  // deliver it to, in one statement: every decision and filing publishes one.
  // The one-row left join answers a row even when no endpoint matches.
  const rows = await tx.$queryRaw<Array<{ id: string | null; taskQueue: string | null; notified: number }>>`
    WITH created AS (
      INSERT INTO "WebhookEvent" ("id", "type", "brandId", "storeId", "body", "occurredAt")
      VALUES (${id}::uuid, ${input.type}::"WebhookEventType", ${input.brandId}::uuid, ${input.storeId}::uuid, ${body},
              ${now.toISOString()}::timestamp(3))
      RETURNING "id"
    ), notified AS (
      SELECT pg_notify(${WEBHOOK_EVENT_CHANNEL}, ${JSON.stringify(notice)}) FROM created
    )
    SELECT e."id"::text AS "id", e."taskQueue", (SELECT count(*) FROM notified)::int AS "notified"
    FROM (SELECT 1) AS one
    LEFT JOIN "WebhookEndpoint" e
      ON e."enabled" AND e."eventTypes" @> ARRAY[${input.type}::"WebhookEventType"]
     AND (e."brandId" = ${input.brandId}::uuid OR e."storeId" = ${input.storeId}::uuid)
    ORDER BY e."id"`;
  const endpoints = rows.flatMap((row) => (row.id && row.taskQueue ? [{ id: row.id, taskQueue: row.taskQueue }] : []));
  if (endpoints.length > 0) {
    const deliveries = endpoints.map((endpoint) => ({
      id: timeOrderedId(now.getTime()),
      eventId: id,
      endpointId: endpoint.id,
      taskQueue: endpoint.taskQueue,
    }));
    await tx.webhookDelivery.createMany({
      data: deliveries.map(({ taskQueue: _queue, ...delivery }) => ({ ...delivery, createdAt: now })),
    });
    const byQueue = new Map<string, WorkflowMessage[]>();
    for (const delivery of deliveries) {
      const messages = byQueue.get(delivery.taskQueue) ?? [];
      messages.push({ kind: 'webhookDelivery', deliveryId: delivery.id, series: 0 });
      byQueue.set(delivery.taskQueue, messages);
    }
    for (const [taskQueue, messages] of byQueue) await enqueue(tx, taskQueue, messages);
  }
  return id;
}
