import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  badgeLifecycleWorkflow,
  badgeRenewedSignal,
  badgeRevokedSignal,
  brandVerificationWorkflow,
  restoreBadgeSignal,
  suspendBadgeSignal,
  trademarksChangedSignal,
  webhookDeliveryWorkflow,
} from '../../workflows/index.js';
import type { BadgeLifecycleInput } from '../../workflows/badge-lifecycle.workflow.js';
import { badgeWorkflowId, brandWorkflowId, webhookDeliveryWorkflowId, type WorkflowMessage } from './messages.js';

/** Signal-with-start: a running workflow recomputes, an ended one starts again; never two at once. */
export async function signalBrandVerification(client: Client, taskQueue: string, brandId: string): Promise<void> {
  await client.workflow.signalWithStart(brandVerificationWorkflow, {
    workflowId: brandWorkflowId(brandId),
    taskQueue,
    args: [brandId],
    signal: trademarksChangedSignal,
    signalArgs: [],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/**
 * Starts a badge's timers unless they run already. `restart` allows a new run
 * where an earlier one has closed; a redelivered issue message must not (that
 * run ended because the badge expired or was revoked).
 */
export async function startBadgeLifecycle(client: Client, taskQueue: string, input: BadgeLifecycleInput, restart: boolean): Promise<void> {
  try {
    await client.workflow.start(badgeLifecycleWorkflow, {
      workflowId: badgeWorkflowId(input.badgeId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: restart ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

/** Starts one series of a delivery's attempts; a series runs once, however often its message is delivered. */
export async function startWebhookDelivery(client: Client, taskQueue: string, deliveryId: string, series: number): Promise<void> {
  try {
    await client.workflow.start(webhookDeliveryWorkflow, {
      workflowId: webhookDeliveryWorkflowId(deliveryId, series),
      taskQueue,
      args: [{ deliveryId, series }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

async function signalBadge(client: Client, badgeId: string, send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>) {
  try {
    await send(client.workflow.getHandle(badgeWorkflowId(badgeId)));
  } catch (error) {
    // A badge whose workflow already ended (expired, revoked) needs no message.
    if (error instanceof WorkflowNotFoundError) return;
    throw error;
  }
}

/** Delivers one message; delivering it again changes nothing. */
export async function deliverWorkflowMessage(client: Client, taskQueue: string, message: WorkflowMessage): Promise<void> {
  switch (message.kind) {
    case 'brandTrademarksChanged':
      return signalBrandVerification(client, taskQueue, message.brandId);
    case 'badgeIssued':
      return startBadgeLifecycle(
        client,
        taskQueue,
        { badgeId: message.badgeId, expiresAt: message.expiresAt, reminderLeadSeconds: message.reminderLeadSeconds },
        false,
      );
    case 'badgeRevoked':
      return signalBadge(client, message.badgeId, (handle) => handle.signal(badgeRevokedSignal));
    case 'badgeSuspended':
      return signalBadge(client, message.badgeId, (handle) =>
        handle.signal(suspendBadgeSignal, { until: message.until, reason: message.reason }),
      );
    case 'badgeRestored':
      return signalBadge(client, message.badgeId, (handle) => handle.signal(restoreBadgeSignal));
    case 'webhookDelivery':
      return startWebhookDelivery(client, taskQueue, message.deliveryId, message.series);
    case 'badgeRenewed':
      return signalBadge(client, message.badgeId, (handle) => handle.signal(badgeRenewedSignal, { expiresAt: message.expiresAt }));
    // The badge has ended: its timers end as a revoked badge's do.
    case 'badgeSuperseded':
      return signalBadge(client, message.badgeId, (handle) => handle.signal(badgeRevokedSignal));
  }
}
