import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  REFUSAL_TYPES,
  appealDecisionUpdate,
  claimComplaintUpdate,
  complaintWorkflow,
  complaintWorkflowId,
  decideComplaintUpdate,
  evidenceAddedSignal,
  respondToComplaintUpdate,
  submitComplaintUpdate,
  withdrawComplaintUpdate,
  type ComplaintActor,
  type ComplaintTimings,
  type ComplaintWorkflowInput,
  type Money,
  type Verdict,
} from '../../workflows/index.js';

export type ComplaintCommand =
  | { kind: 'submit' }
  | { kind: 'respond'; statement: string }
  | { kind: 'withdraw' }
  | { kind: 'claim' }
  | { kind: 'decide'; verdict: Verdict; note: string; compensation: Money | null }
  | { kind: 'appeal'; reason: string };

/** What an Update's refusal means for the caller. */
export type CommandOutcome = { ok: true } | { ok: false; reason: 'NOT_ALLOWED_IN_STATE' | 'FORBIDDEN'; message: string };

export interface ComplaintGateway {
  start(input: Omit<ComplaintWorkflowInput, 'timings'>): Promise<void>;
  /** False when the complaint's workflow has already ended. */
  evidenceAdded(complaintId: string, role: ComplaintActor['role']): Promise<boolean>;
  send(complaintId: string, actor: ComplaintActor, command: ComplaintCommand): Promise<CommandOutcome>;
}

// Refusals are told apart by their ApplicationFailure type, never by their text.
function refusal(error: unknown): CommandOutcome | null {
  if (!(error instanceof WorkflowUpdateFailedError)) return null;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    if (cause.type === REFUSAL_TYPES.notAllowedInState) return { ok: false, reason: 'NOT_ALLOWED_IN_STATE', message: cause.message };
    if (cause.type === REFUSAL_TYPES.forbidden) return { ok: false, reason: 'FORBIDDEN', message: cause.message };
  }
  // The activity found the complaint had moved on between validation and writing.
  const activityCause = cause?.cause;
  if (activityCause instanceof ApplicationFailure && activityCause.type === 'StaleTransition')
    return { ok: false, reason: 'NOT_ALLOWED_IN_STATE', message: activityCause.message };
  return null;
}

export function createComplaintGateway(client: Client, taskQueue: string, timings: ComplaintTimings): ComplaintGateway {
  const handle = (complaintId: string) => client.workflow.getHandle(complaintWorkflowId(complaintId));
  return {
    async start(input) {
      await client.workflow.start(complaintWorkflow, {
        workflowId: complaintWorkflowId(input.complaintId),
        taskQueue,
        args: [{ ...input, timings }],
      });
    },
    async evidenceAdded(complaintId, role) {
      try {
        await handle(complaintId).signal(evidenceAddedSignal, { role });
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },
    async send(complaintId, actor, command) {
      const h = handle(complaintId);
      try {
        switch (command.kind) {
          case 'submit':
            await h.executeUpdate(submitComplaintUpdate, { args: [actor] });
            break;
          case 'respond':
            await h.executeUpdate(respondToComplaintUpdate, { args: [actor, command.statement] });
            break;
          case 'withdraw':
            await h.executeUpdate(withdrawComplaintUpdate, { args: [actor] });
            break;
          case 'claim':
            await h.executeUpdate(claimComplaintUpdate, { args: [actor] });
            break;
          case 'decide':
            await h.executeUpdate(decideComplaintUpdate, {
              args: [actor, { verdict: command.verdict, note: command.note, compensation: command.compensation }],
            });
            break;
          case 'appeal':
            await h.executeUpdate(appealDecisionUpdate, { args: [actor, command.reason] });
            break;
        }
        return { ok: true };
      } catch (error) {
        const outcome = refusal(error);
        if (outcome) return outcome;
        // A complaint whose workflow has finished (closed, expired, withdrawn) takes no more commands.
        if (error instanceof WorkflowNotFoundError)
          return { ok: false, reason: 'NOT_ALLOWED_IN_STATE', message: 'The complaint is closed.' };
        throw error;
      }
    },
  };
}
