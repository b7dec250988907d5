import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../db/client.js';
import type { Config } from '../config.js';
import { issueCoupon, issueWarning, rescindWarning, suspendStoreForStrikes } from '../services/complaint-effects.js';
import { applyComplaintTransition, type ComplaintTransition } from '../services/complaint-transitions.js';

export type { ComplaintTransition, TransitionFields } from '../services/complaint-transitions.js';

export interface ComplaintActivityDeps {
  db: Db;
  clock: () => Date;
  config: Pick<Config, 'COMPLAINT_DEFAULT_COMPENSATION_AMOUNT' | 'COMPLAINT_DEFAULT_COMPENSATION_CURRENCY' | 'COUPON_VALIDITY_DAYS'>;
}

export function createComplaintActivities({ db, clock, config }: ComplaintActivityDeps) {
  return {
    async applyTransition(transition: ComplaintTransition): Promise<void> {
      const applied = await applyComplaintTransition(db, transition, clock());
      if (!applied) {
        throw ApplicationFailure.nonRetryable(`The complaint is no longer in ${transition.from.join(' or ')}.`, 'StaleTransition');
      }
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
