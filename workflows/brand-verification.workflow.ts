import { condition, continueAsNew, defineSignal, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BrandActivities } from '../src/activities/brand-activities.js';

/** Sent whenever a brand's trademarks change, so the timer follows the new dates. */
export const trademarksChangedSignal = defineSignal('trademarksChanged');

const { refreshBrandStatus, renewBrandBadges } = proxyActivities<BrandActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Runs recorded before renewals existed replay without the renewal step. */
export const BRAND_RENEWAL_PATCH = 'brand-renews-badges';

// Keeps the history short; each iteration adds a handful of events.
const ITERATIONS_BEFORE_CONTINUE_AS_NEW = 200;

/**
 * One per brand. Recomputes the brand's status, then sleeps on a durable timer
 * until the next trademark starts or ends, so the brand falls back to
 * PENDING_VERIFICATION exactly when its last valid trademark expires, even
 * across worker restarts. Each recomputation also extends the brand's live
 * badges a renewed trademark now covers for longer, and expires the brand's
 * letters whose validity ended (their next end is one of the changes it waits
 * for). Ends when no change is ahead; the next approval starts it again.
 */
export async function brandVerificationWorkflow(brandId: string): Promise<void> {
  let trademarksChanged = false;
  setHandler(trademarksChangedSignal, () => {
    trademarksChanged = true;
  });

  for (let i = 0; i < ITERATIONS_BEFORE_CONTINUE_AS_NEW; i++) {
    trademarksChanged = false;
    const { nextChangeAt } = await refreshBrandStatus(brandId);
    // A renewed trademark extends the brand's live badges now, not after they run out.
    if (patched(BRAND_RENEWAL_PATCH)) await renewBrandBadges(brandId);
    if (nextChangeAt === null) {
      if (!trademarksChanged) return;
      continue;
    }
    // Workflow time is deterministic; the timer is persisted by the server.
    const wait = Math.max(1, Date.parse(nextChangeAt) - Date.now());
    await condition(() => trademarksChanged, wait);
  }
  await continueAsNew<typeof brandVerificationWorkflow>(brandId);
}
