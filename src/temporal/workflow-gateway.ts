import type { Client } from '@temporalio/client';
import {
  badgeLifecycleWorkflow,
  badgeRevokedSignal,
  brandVerificationWorkflow,
  restoreBadgeSignal,
  suspendBadgeSignal,
  trademarksChangedSignal,
} from '../../workflows/index.js';

/** How services start and message workflows; a small surface so they never see the SDK. */
export interface WorkflowGateway {
  brandTrademarksChanged(brandId: string): Promise<void>;
  /** Starts the badge's timers; starting twice is harmless. */
  badgeIssued(badge: { id: string; expiresAt: Date }): Promise<void>;
  badgeRevoked(badgeId: string): Promise<void>;
  suspendBadge(badgeId: string, until: Date, reason: string): Promise<void>;
  restoreBadge(badgeId: string): Promise<void>;
}

export const brandWorkflowId = (brandId: string) => `brand-verification-${brandId}`;
export const badgeWorkflowId = (badgeId: string) => `badge-lifecycle-${badgeId}`;

function ignoreFinished(error: unknown): void {
  // A badge whose workflow already ended (expired, revoked) needs no message.
  if ((error as { name?: string }).name === 'WorkflowNotFoundError') return;
  throw error;
}

export function createWorkflowGateway(client: Client, taskQueue: string, options: { reminderLeadSeconds: number }): WorkflowGateway {
  return {
    async brandTrademarksChanged(brandId) {
      await client.workflow.signalWithStart(brandVerificationWorkflow, {
        workflowId: brandWorkflowId(brandId),
        taskQueue,
        args: [brandId],
        signal: trademarksChangedSignal,
        signalArgs: [],
      });
    },
    async badgeIssued(badge) {
      await client.workflow
        .start(badgeLifecycleWorkflow, {
          workflowId: badgeWorkflowId(badge.id),
          taskQueue,
          args: [{ badgeId: badge.id, expiresAt: badge.expiresAt.toISOString(), reminderLeadSeconds: options.reminderLeadSeconds }],
        })
        .catch((error: { name?: string }) => {
          if (error.name !== 'WorkflowExecutionAlreadyStartedError') throw error;
        });
    },
    async badgeRevoked(badgeId) {
      await client.workflow.getHandle(badgeWorkflowId(badgeId)).signal(badgeRevokedSignal).catch(ignoreFinished);
    },
    async suspendBadge(badgeId, until, reason) {
      await client.workflow
        .getHandle(badgeWorkflowId(badgeId))
        .signal(suspendBadgeSignal, { until: until.toISOString(), reason })
        .catch(ignoreFinished);
    },
    async restoreBadge(badgeId) {
      await client.workflow.getHandle(badgeWorkflowId(badgeId)).signal(restoreBadgeSignal).catch(ignoreFinished);
    },
  };
}
