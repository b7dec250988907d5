import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.js';
import { listenToDatabase } from '../events/database-listener.js';
import type { Logger } from '../logger.js';
import { deliverWorkflowMessage } from './deliver.js';
import { OUTBOX_CHANNEL } from './enqueue.js';
import type { WorkflowMessage } from './messages.js';

export interface OutboxRelayOptions {
  db: Db;
  client: Client;
  /** Only this task queue's messages are delivered, to its workflows. */
  taskQueue: string;
  databaseUrl: string;
  logger: Logger;
  /** Longest wait between two attempts at one message. */
  maxRetrySeconds: number;
  clock?: () => Date;
}

export interface OutboxRelay {
  /** Finishes the deliveries under way, then stops. */
  stop(): Promise<void>;
}

const BATCH = 50;
// A missed notification (the listener reconnecting) costs at most this long; retries come due on the same tick.
const POLL_MS = 1000;
// A claimed message is hidden from other relays this long: past the delivery
// deadline, so a relay that died mid-delivery only delays it.
const LEASE_MS = 60_000;
const DELIVERY_DEADLINE_MS = 15_000;

interface ClaimedRow {
  id: bigint;
  payload: WorkflowMessage;
  attempts: number;
}

export function retryDelayMs(attempts: number, maxRetrySeconds: number): number {
  return Math.min(maxRetrySeconds * 1000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers the outbox to Temporal: claims due messages (FOR UPDATE SKIP LOCKED,
 * so several workers share the work), delivers each, and marks it delivered or
 * schedules its next attempt with a growing delay. One workflow's messages go
 * out in the order they were written: a message waits while an earlier one for
 * the same workflow is undelivered. Woken by the NOTIFY of each commit.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, client, taskQueue, logger } = options;
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  let poked = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    poked = true;
    wake?.();
  };
  const listener = listenToDatabase(options.databaseUrl, { [OUTBOX_CHANNEL]: (queue) => queue === taskQueue && poke() }, logger);

  const claim = (now: Date) => db.$queryRaw<ClaimedRow[]>`
    UPDATE "WorkflowOutbox"
    SET "attempts" = "attempts" + 1, "nextAttemptAt" = ${new Date(now.getTime() + LEASE_MS)}
    WHERE "id" IN (
      SELECT o."id" FROM "WorkflowOutbox" o
      WHERE o."taskQueue" = ${taskQueue} AND o."deliveredAt" IS NULL AND o."nextAttemptAt" <= ${now}
        AND NOT EXISTS (
          SELECT 1 FROM "WorkflowOutbox" e
          WHERE e."workflowId" = o."workflowId" AND e."taskQueue" = o."taskQueue" AND e."deliveredAt" IS NULL AND e."id" < o."id"
        )
      ORDER BY o."id"
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "payload", "attempts"`;

  const deliver = async (row: ClaimedRow) => {
    try {
      await client.withDeadline(Date.now() + DELIVERY_DEADLINE_MS, () => deliverWorkflowMessage(client, taskQueue, row.payload));
      await db.workflowOutbox.update({ where: { id: row.id }, data: { deliveredAt: clock(), lastError: null } });
    } catch (error) {
      const delay = retryDelayMs(row.attempts, options.maxRetrySeconds);
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(
        { outboxId: String(row.id), kind: row.payload.kind, attempts: row.attempts, retryInMs: delay, err: message },
        'workflow message not delivered; will retry',
      );
      await db.workflowOutbox.update({
        where: { id: row.id },
        data: { nextAttemptAt: new Date(clock().getTime() + delay), lastError: message.slice(0, 2000) },
      });
    }
  };

  const loop = async () => {
    while (!stopped) {
      poked = false;
      let claimed = 0;
      try {
        const rows = await claim(clock());
        claimed = rows.length;
        await Promise.all(rows.map(deliver));
      } catch (error) {
        logger.error({ err: error }, 'workflow outbox relay could not claim messages; retrying');
      }
      if (stopped) break;
      // A delivered message may have been holding back the next one for its workflow.
      if (claimed > 0 || poked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
      await listener.close();
    },
  };
}
