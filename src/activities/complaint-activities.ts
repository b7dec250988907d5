import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from '../db/client.js';
import type { Config } from '../config.js';
import { issueCoupon, issueWarning, rescindWarning, suspendStoreForStrikes } from '../services/complaint-effects.js';
import { applyComplaintTransition, type ComplaintTransition } from '../services/complaint-transitions.js';

export type { ComplaintTransition, TransitionFields } from '../services/complaint-transitions.js';

/** Faults a test can ask the worker to inject (only honoured when NODE_ENV=test). */
export interface InjectedFaults {
  /** The coupon activity fails on its first N attempts. */
  couponFailures?: number;
  /** The coupon activity pauses this long before writing, so a test can kill the worker mid-step. */
  couponDelayMs?: number;
}

export interface ComplaintActivityDeps {
  db: Db;
  clock: () => Date;
  config: Pick<Config, 'COMPLAINT_DEFAULT_COMPENSATION_AMOUNT' | 'COMPLAINT_DEFAULT_COMPENSATION_CURRENCY' | 'COUPON_VALIDITY_DAYS'>;
  faults?: InjectedFaults;
}

export function createComplaintActivities({ db, clock, config, faults = {} }: ComplaintActivityDeps) {
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
    async issueCoupon(complaintId: string, compensation: { amount: string; currency: string } | null) {
      const attempt = Context.current().info.attempt;
      if (faults.couponDelayMs && attempt === 1) await new Promise((resolve) => setTimeout(resolve, faults.couponDelayMs));
      if (faults.couponFailures && attempt <= faults.couponFailures) throw new Error(`injected coupon failure, attempt ${attempt}`);
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
