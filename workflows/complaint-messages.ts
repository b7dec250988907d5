import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

// Messages of the complaint workflow. Shared by the workflow and the API, so
// this file holds only types and message definitions.

export type ComplaintStatus =
  'AWAITING_EVIDENCE' | 'AWAITING_MERCHANT_RESPONSE' | 'UNDER_REVIEW' | 'DECIDED' | 'APPEALED' | 'CLOSED' | 'WITHDRAWN' | 'EXPIRED';

export type Verdict = 'COUNTERFEIT' | 'NOT_COUNTERFEIT' | 'INSUFFICIENT_EVIDENCE';
export type ActorRole = 'CONSUMER' | 'MERCHANT' | 'BRAND' | 'REVIEWER' | 'ADMIN';

/** Who sends an update; the API has already checked the caller's access to the complaint. */
export interface ComplaintActor {
  actorId: string;
  role: ActorRole;
}

export interface ComplaintTimings {
  evidenceWindowSeconds: number;
  merchantWindowSeconds: number;
  reviewSlaSeconds: number;
  appealWindowSeconds: number;
  /** How long strike 2 suspends the store's badges. */
  strikeSuspensionSeconds: number;
}

export interface ComplaintWorkflowInput {
  complaintId: string;
  consumerId: string;
  storeOwnerId: string;
  timings: ComplaintTimings;
}

export interface Money {
  amount: string;
  currency: string;
}

export interface ComplaintState {
  status: ComplaintStatus;
  consumerEvidence: number;
  assignedReviewerId: string | null;
  verdict: Verdict | null;
  /** Reviewers who decided; an appeal goes to someone else. */
  deciderIds: string[];
  appealed: boolean;
  escalated: boolean;
}

export const evidenceAddedSignal = defineSignal<[{ role: ActorRole }]>('evidenceAdded');
export const complaintStateQuery = defineQuery<ComplaintState>('complaintState');

export const submitComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor]>('submitComplaint');
export const respondToComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, string]>('respondToComplaint');
export const withdrawComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor]>('withdrawComplaint');
export const claimComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor]>('claimComplaint');
export const decideComplaintUpdate = defineUpdate<
  ComplaintStatus,
  [ComplaintActor, { verdict: Verdict; note: string; compensation: Money | null }]
>('decideComplaint');
export const appealDecisionUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, string]>('appealDecision');

/**
 * The `ApplicationFailure` types of an Update's refusal: "not allowed in this
 * state" or "not you". Callers read the type, never the message text.
 */
export const REFUSAL_TYPES = { notAllowedInState: 'NotAllowedInState', forbidden: 'Forbidden' } as const;
