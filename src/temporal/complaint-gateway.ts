import {
  ActivityFailure,
  ApplicationFailure,
  ServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
} from '@temporalio/client';
import { UnavailableError } from '../errors.js';
import {
  REFUSAL_TYPES,
  STALE_TRANSITION_TYPE,
  addEvidenceUpdate,
  answerInformationRequestUpdate,
  appealDecisionUpdate,
  claimComplaintUpdate,
  complaintWorkflow,
  complaintWorkflowId,
  decideComplaintUpdate,
  fileComplaintUpdate,
  requestInformationUpdate,
  respondToComplaintUpdate,
  submitComplaintUpdate,
  withdrawComplaintUpdate,
  type ComplaintActor,
  type ComplaintFiling,
  type ComplaintLimits,
  type ComplaintStatus,
  type ComplaintTimings,
  type ComplaintWorkflowInput,
  type EvidenceUpload,
  type InformationRequest,
  type Money,
  type Verdict,
} from '../../workflows/index.js';
import type { RefusalKind } from '../../workflows/complaint-rules.js';

export type ComplaintCommand =
  | { kind: 'submit' }
  | { kind: 'respond'; statement: string }
  | { kind: 'withdraw' }
  | { kind: 'claim' }
  | { kind: 'decide'; verdict: Verdict; note: string; compensation: Money | null }
  | { kind: 'appeal'; reason: string }
  | ({ kind: 'requestInformation' } & InformationRequest)
  | { kind: 'answerInformation'; statement: string | null };

/**
 * What an Update came to for the caller: done, with the status the workflow
 * left the complaint in (which it wrote before answering), or refused by the complaint's rules.
 */
export type CommandOutcome = { ok: true; status: ComplaintStatus } | { ok: false; reason: RefusalKind; message: string };

export interface ComplaintGateway {
  /** Starts the complaint's workflow with its filing, which the workflow writes or refuses. */
  file(
    complaint: Omit<ComplaintWorkflowInput, 'timings' | 'limits'> & { limits: ComplaintLimits },
    actor: ComplaintActor,
    filing: ComplaintFiling,
  ): Promise<CommandOutcome>;
  /** Asks the workflow to record a stored photo. */
  addEvidence(complaintId: string, actor: ComplaintActor, upload: EvidenceUpload): Promise<CommandOutcome>;
  send(complaintId: string, actor: ComplaintActor, command: ComplaintCommand): Promise<CommandOutcome>;
}

const REFUSAL_KIND_OF_TYPE = new Map<string, RefusalKind>(Object.entries(REFUSAL_TYPES).map(([kind, type]) => [type, kind as RefusalKind]));

// gRPC's UNAVAILABLE and DEADLINE_EXCEEDED status codes, fixed by the protocol.
const UNREACHABLE_CODES = new Set<number>([14, 4]);

/** Temporal could not be reached, so the request was not taken. */
function unreachable(error: unknown): boolean {
  if (isGrpcServiceError(error)) return UNREACHABLE_CODES.has(error.code);
  if (error instanceof ServiceError) return isGrpcServiceError(error.cause) && UNREACHABLE_CODES.has(error.cause.code);
  return false;
}

/**
 * The one mapping from what the SDK throws to what the caller is told:
 * refusals by their ApplicationFailure type (never their text) become
 * outcomes, Temporal out of reach becomes UnavailableError, and anything else
 * is a fault and is rethrown.
 */
export function outcomeOfFailure(error: unknown): CommandOutcome {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type) {
      const reason = REFUSAL_KIND_OF_TYPE.get(cause.type);
      if (reason) return { ok: false, reason, message: cause.message };
    }
    // The activity found the complaint had moved on between the check and the write.
    if (cause instanceof ActivityFailure && cause.cause instanceof ApplicationFailure && cause.cause.type === STALE_TRANSITION_TYPE)
      return { ok: false, reason: 'NOT_ALLOWED_IN_STATE', message: cause.cause.message };
  }
  // A complaint whose workflow has finished (closed, expired, withdrawn) takes no more commands.
  if (error instanceof WorkflowNotFoundError) return { ok: false, reason: 'NOT_ALLOWED_IN_STATE', message: 'The complaint is closed.' };
  if (error instanceof WorkflowExecutionAlreadyStartedError)
    return { ok: false, reason: 'NOT_ALLOWED_IN_STATE', message: 'The complaint is filed already.' };
  if (unreachable(error)) throw new UnavailableError('Complaints are unavailable right now; try again shortly.', { cause: error });
  // The answer did not come in time: whether the Update was applied is unknown, so the caller may only try again.
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    throw new UnavailableError(
      'Complaints are slow to answer right now, and this request may still go through: look at the complaint before sending it again.',
      { cause: error },
    );
  throw error;
}

/**
 * Runs one call, waiting at most `waitMs`: a step is one short database write
 * by the worker, so past that the worker is down or swamped and the caller is
 * told so instead of waiting for it to come back.
 */
async function outcomeOf(client: Client, waitMs: number, run: () => Promise<ComplaintStatus>): Promise<CommandOutcome> {
  try {
    return { ok: true, status: await client.withDeadline(Date.now() + waitMs, run) };
  } catch (error) {
    return outcomeOfFailure(error);
  }
}

export function createComplaintGateway(
  client: Client,
  taskQueue: string,
  timings: ComplaintTimings,
  options: { stepWaitSeconds: number },
): ComplaintGateway {
  const waitMs = options.stepWaitSeconds * 1000;
  const handle = (complaintId: string) => client.workflow.getHandle(complaintWorkflowId(complaintId));
  return {
    file(complaint, actor, filing) {
      return outcomeOf(client, waitMs, () =>
        client.workflow.executeUpdateWithStart(fileComplaintUpdate, {
          args: [actor, filing],
          startWorkflowOperation: new WithStartWorkflowOperation(complaintWorkflow, {
            workflowId: complaintWorkflowId(complaint.complaintId),
            taskQueue,
            args: [{ ...complaint, timings }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        }),
      );
    },
    addEvidence(complaintId, actor, upload) {
      return outcomeOf(client, waitMs, () => handle(complaintId).executeUpdate(addEvidenceUpdate, { args: [actor, upload] }));
    },
    send(complaintId, actor, command) {
      const h = handle(complaintId);
      return outcomeOf(client, waitMs, () => {
        switch (command.kind) {
          case 'submit':
            return h.executeUpdate(submitComplaintUpdate, { args: [actor] });
          case 'respond':
            return h.executeUpdate(respondToComplaintUpdate, { args: [actor, command.statement] });
          case 'withdraw':
            return h.executeUpdate(withdrawComplaintUpdate, { args: [actor] });
          case 'claim':
            return h.executeUpdate(claimComplaintUpdate, { args: [actor] });
          case 'decide':
            return h.executeUpdate(decideComplaintUpdate, {
              args: [actor, { verdict: command.verdict, note: command.note, compensation: command.compensation }],
            });
          case 'appeal':
            return h.executeUpdate(appealDecisionUpdate, { args: [actor, command.reason] });
          case 'requestInformation':
            return h.executeUpdate(requestInformationUpdate, {
              args: [actor, { requestId: command.requestId, side: command.side, note: command.note, dueAt: command.dueAt }],
            });
          case 'answerInformation':
            return h.executeUpdate(answerInformationRequestUpdate, { args: [actor, { statement: command.statement }] });
        }
      });
    },
  };
}
