import type { Client } from '@temporalio/client';
import { brandVerificationWorkflow, trademarksChangedSignal } from '../../workflows/index.js';

/** How services start and message workflows; a small surface so they never see the SDK. */
export interface WorkflowGateway {
  brandTrademarksChanged(brandId: string): Promise<void>;
}

export const brandWorkflowId = (brandId: string) => `brand-verification-${brandId}`;

export function createWorkflowGateway(client: Client, taskQueue: string): WorkflowGateway {
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
  };
}
