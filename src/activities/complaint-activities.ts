import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../db/client.js';
import type { Config } from '../config.js';
import { issueCoupon, issueWarning, rescindWarning, suspendStoreForStrikes } from '../services/complaint-effects.js';
import {
  applyComplaintTransition,
  writeEvidence,
  writeFiling,
  type ComplaintTransition,
  type EvidenceWrite,
  type FilingWrite,
} from '../services/complaint-transitions.js';
import {
  closeInformationRequest,
  writeInformationRequest,
  type InformationRequestClose,
  type InformationRequestWrite,
} from '../services/complaint-information.js';
import { STALE_TRANSITION_TYPE } from '../../workflows/complaint-messages.js';

export type { ComplaintTransition, TransitionFields } from '../services/complaint-transitions.js';
export type { InformationRequestClose, InformationRequestWrite } from '../services/complaint-information.js';

const stale = (from: string[]) =>
  ApplicationFailure.nonRetryable(`The complaint is no longer in ${from.join(' or ')}.`, STALE_TRANSITION_TYPE);

export interface ComplaintActivityDeps {
  db: Db;
  clock: () => Date;
  config: Pick<Config, 'COMPLAINT_DEFAULT_COMPENSATION_AMOUNT' | 'COMPLAINT_DEFAULT_COMPENSATION_CURRENCY' | 'COUPON_VALIDITY_DAYS'>;
}

export function createComplaintActivities({ db, clock, config }: ComplaintActivityDeps) {
  return {
    /** True when the complaint is written (now or by an earlier attempt), false when the consumer's open complaints are at the cap. */
    fileComplaint(filing: FilingWrite): Promise<boolean> {
      return writeFiling(db, filing);
    },
    recordEvidence(evidence: EvidenceWrite): Promise<void> {
      return writeEvidence(db, evidence, clock());
    },
    async applyTransition(transition: ComplaintTransition): Promise<void> {
      const applied = await applyComplaintTransition(db, transition, clock());
      if (!applied) {
        throw ApplicationFailure.nonRetryable(`The complaint is no longer in ${transition.from.join(' or ')}.`, STALE_TRANSITION_TYPE);
      }
    },
    async openInformationRequest(request: InformationRequestWrite): Promise<void> {
      if (!(await writeInformationRequest(db, request))) throw stale(request.from);
    },
    async closeInformationRequest(close: InformationRequestClose): Promise<void> {
      if (!(await closeInformationRequest(db, close))) throw stale(close.from);
    },
    issueWarning(complaintId: string) {
      return issueWarning(db, complaintId, clock());
    },
    issueCoupon(complaintId: string, compensation: { amount: string; currency: string } | null) {
      const value = compensation ?? {
        amount: config.COMPLAINT_DEFAULT_COMPENSATION_AMOUNT,
        currency: config.COMPLAINT_DEFAULT_COMPENSATION_CURRENCY,
      };
      return issueCoupon(db, complaintId, value, config.COUPON_VALIDITY_DAYS, clock());
    },
    suspendStoreForStrikes(complaintId: string) {
      return suspendStoreForStrikes(db, complaintId, clock());
    },
    rescindWarning(complaintId: string) {
      return rescindWarning(db, complaintId, clock());
    },
  };
}

export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
