import { Context } from '@temporalio/activity';
import type { createActivities } from '../../src/activities/index.js';

type Activities = ReturnType<typeof createActivities>;

/** Faults a test injects into the activities of a worker it starts. */
export interface InjectedFaults {
  /** The coupon activity fails on its first N attempts. */
  couponFailures?: number;
  /** The coupon activity pauses this long on its first attempt, so a test can kill the worker mid-step. */
  couponDelayMs?: number;
}

/** The activities with `faults` wrapped around them; the production factory knows nothing of faults. */
export function withFaults(activities: Activities, faults: InjectedFaults = {}): Activities {
  const { issueCoupon } = activities;
  return {
    ...activities,
    async issueCoupon(...args: Parameters<Activities['issueCoupon']>) {
      const attempt = Context.current().info.attempt;
      if (faults.couponDelayMs && attempt === 1) await new Promise((resolve) => setTimeout(resolve, faults.couponDelayMs));
      if (faults.couponFailures && attempt <= faults.couponFailures) throw new Error(`injected coupon failure, attempt ${attempt}`);
      return issueCoupon(...args);
    },
  };
}
