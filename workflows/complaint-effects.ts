import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { ComplaintActivities } from '../src/activities/complaint-activities.js';
import { badgeRevokedSignal, restoreBadgeSignal, suspendBadgeSignal } from './badge-lifecycle.workflow.js';
import type { ComplaintTimings, Money, Verdict } from './complaint-messages.js';
import { consequenceOfStrike } from './strike-policy.js';

const activities = proxyActivities<ComplaintActivities>({
  // Each activity is a short database write; a worker that dies mid-write is noticed soon.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export interface Decision {
  verdict: Verdict;
  compensation: Money | null;
  /** The verdict this one replaces on appeal, if any. */
  previous: Verdict | null;
}

/**
 * What a decision does beyond the complaint: a COUNTERFEIT verdict warns the
 * store and compensates the consumer (each exactly once, by database
 * uniqueness) and applies the store's strike to its badges; a COUNTERFEIT
 * verdict overturned on appeal rescinds the warning and restores what its
 * strike took, while the coupon stays.
 */
export async function applyDecisionEffects(complaintId: string, timings: ComplaintTimings, decision: Decision): Promise<void> {
  if (decision.verdict === 'COUNTERFEIT' && decision.previous !== 'COUNTERFEIT') {
    const strike = await activities.issueWarning(complaintId);
    await activities.issueCoupon(complaintId, decision.compensation);
    // The order of these calls is recorded in running complaints' histories: keep it.
    const consequence = consequenceOfStrike(strike.strikeNumber, timings.strikeSuspensionSeconds);
    if (consequence.kind === 'SUSPEND_BADGES') {
      const until = new Date(Date.now() + consequence.seconds * 1000).toISOString();
      for (const badgeId of strike.liveBadgeIds)
        await signalBadge(badgeId, { suspend: { until, reason: `strike ${strike.strikeNumber} (complaint ${complaintId})` } });
    } else if (consequence.kind === 'SUSPEND_STORES_AND_REVOKE') {
      const revoked = await activities.suspendStoreForStrikes(complaintId);
      for (const badgeId of revoked) await signalBadge(badgeId, 'revoked');
    }
  } else if (decision.previous === 'COUNTERFEIT' && decision.verdict !== 'COUNTERFEIT') {
    const restored = await activities.rescindWarning(complaintId);
    for (const badgeId of restored.suspendedBadgeIds) await signalBadge(badgeId, 'restore');
  }
}

async function signalBadge(badgeId: string, action: { suspend: { until: string; reason: string } } | 'restore' | 'revoked'): Promise<void> {
  const handle = getExternalWorkflowHandle(`badge-lifecycle-${badgeId}`);
  try {
    if (action === 'restore') await handle.signal(restoreBadgeSignal);
    else if (action === 'revoked') await handle.signal(badgeRevokedSignal);
    else await handle.signal(suspendBadgeSignal, action.suspend);
  } catch {
    // The badge's workflow has ended (expired or revoked): nothing left to change.
  }
}
