import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EvidenceSide, OpenInformationRequest, PartySide } from './complaint-rules.js';

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

/** Caps fixed when the complaint is filed. Absent in complaints filed before they travelled in the input. */
export interface ComplaintLimits {
  evidencePerSide: number;
  openComplaintsPerConsumer: number;
}

export interface ComplaintWorkflowInput {
  complaintId: string;
  consumerId: string;
  storeOwnerId: string;
  timings: ComplaintTimings;
  limits?: ComplaintLimits;
}

/** What the consumer files; the API has checked it. */
export interface ComplaintFiling {
  storeId: string;
  brandId: string | null;
  orderReference: string;
  description: string;
  /** The listing the product was bought from; absent in filings of earlier versions. */
  listingUrl?: string | null;
}

/** A photo the API has checked and stored; the workflow records it if the rules allow. */
export interface EvidenceUpload {
  /** Chosen by the API, so a retried write inserts nothing twice. */
  evidenceId: string;
  side: EvidenceSide;
  caption: string | null;
  contentType: string;
  width: number;
  height: number;
  byteSize: number;
  sha256: string;
  originalSha256: string;
  perceptualHash: string;
  storageKey: string;
  thumbnailKey: string;
}

export interface Money {
  amount: string;
  currency: string;
}

export interface ComplaintState {
  /** Null until the filing is written. */
  status: ComplaintStatus | null;
  /** Photos the workflow accepted, per side. */
  evidence: Record<EvidenceSide, number>;
  assignedReviewerId: string | null;
  verdict: Verdict | null;
  /** Reviewers who decided; an appeal goes to someone else. */
  deciderIds: string[];
  appealed: boolean;
  escalated: boolean;
  /** The side that appealed; absent in complaints of earlier versions. */
  appealedBy?: PartySide | null;
  /** The reviewer's open request for more information; absent in complaints of earlier versions. */
  informationRequest?: (OpenInformationRequest & { requestId: string; dueAt: string }) | null;
}

/** A reviewer's request to one side for more information; the API has checked the note and the deadline. */
export interface InformationRequest {
  /** Chosen by the API, so a retried write inserts nothing twice. */
  requestId: string;
  side: PartySide;
  note: string;
  /** ISO date; review waits for the answer until then. */
  dueAt: string;
}

/** Sent by the API of earlier versions after it wrote a photo; kept so their histories replay. Nothing sends it now. */
export const evidenceAddedSignal = defineSignal<[{ role: ActorRole }]>('evidenceAdded');
export const complaintStateQuery = defineQuery<ComplaintState>('complaintState');

export const fileComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, ComplaintFiling]>('fileComplaint');
export const addEvidenceUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, EvidenceUpload]>('addEvidence');
export const submitComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor]>('submitComplaint');
export const respondToComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, string]>('respondToComplaint');
export const withdrawComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor]>('withdrawComplaint');
export const claimComplaintUpdate = defineUpdate<ComplaintStatus, [ComplaintActor]>('claimComplaint');
export const decideComplaintUpdate = defineUpdate<
  ComplaintStatus,
  [ComplaintActor, { verdict: Verdict; note: string; compensation: Money | null }]
>('decideComplaint');
export const appealDecisionUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, string]>('appealDecision');
export const requestInformationUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, InformationRequest]>('requestInformation');
export const answerInformationRequestUpdate = defineUpdate<ComplaintStatus, [ComplaintActor, { statement: string | null }]>(
  'answerInformationRequest',
);

/**
 * The `ApplicationFailure` types of an Update's refusal, one per refusal kind
 * of the rules. Callers read the type, never the message text.
 */
export const REFUSAL_TYPES = {
  NOT_ALLOWED_IN_STATE: 'NotAllowedInState',
  FORBIDDEN: 'Forbidden',
  LIMIT_EXCEEDED: 'LimitExceeded',
} as const;

/** The type of the failure an activity throws when the complaint moved on before its write. */
export const STALE_TRANSITION_TYPE = 'StaleTransition';
