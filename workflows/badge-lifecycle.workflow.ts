import { condition, defineQuery, defineSignal, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BadgeActivities } from '../src/activities/badge-activities.js';

export interface BadgeLifecycleInput {
  badgeId: string;
  expiresAt: string;
  /** How long before expiry the owner is reminded to renew. */
  reminderLeadSeconds: number;
  /** A suspension already in force when the workflow starts (a workflow restarted by the reconciliation sweep). */
  suspendedUntil?: string;
}

export interface BadgeSuspension {
  until: string;
  reason: string;
}

/** The badge was revoked: its timers end. */
export const badgeRevokedSignal = defineSignal('badgeRevoked');
/** Suspend now and restore at `until` (a strike); a later suspension replaces an earlier one. */
export const suspendBadgeSignal = defineSignal<[BadgeSuspension]>('suspendBadge');
/** Lift a suspension early (an overturned strike). */
export const restoreBadgeSignal = defineSignal('restoreBadge');
/** A renewal extended the badge: its reminder and expiry move to the new date. */
export const badgeRenewedSignal = defineSignal<[{ expiresAt: string }]>('badgeRenewed');

// Runs recorded before renewals existed replay without these steps.
/** Timers follow a renewal; expiry checks the stored date first, since a renewal may commit just before the timer fires. */
export const RENEWAL_PATCH = 'badge-renewal';
/** A new badge first takes over from the store's earlier badges of the brand (a renewed letter). */
export const SUPERSEDE_PATCH = 'badge-supersedes-earlier';
export const badgeTimersQuery = defineQuery<{
  expiresAt: string;
  reminderAt: string;
  reminded: boolean;
  suspendedUntil: string | null;
  revoked: boolean;
}>('badgeTimers');

const activities = proxyActivities<BadgeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One per badge, the single owner of its timers: a renewal reminder before
 * expiry, expiry exactly at `expiresAt`, and the end of strike suspensions.
 * Durable timers survive worker restarts; each activity changes the badge only
 * from the state it expects, so a retried activity changes nothing twice.
 */
export async function badgeLifecycleWorkflow(input: BadgeLifecycleInput): Promise<void> {
  let expiresAt = Date.parse(input.expiresAt);
  let reminderAt = expiresAt - input.reminderLeadSeconds * 1000;
  let renewedUntil: number | null = null;
  let reminded = false;
  let revoked = false;
  let suspendedUntil: number | null = input.suspendedUntil ? Date.parse(input.suspendedUntil) : null;
  const pendingSuspensions: BadgeSuspension[] = [];
  let restoreRequested = false;

  setHandler(badgeRevokedSignal, () => {
    revoked = true;
  });
  setHandler(suspendBadgeSignal, (suspension) => {
    pendingSuspensions.push(suspension);
  });
  setHandler(restoreBadgeSignal, () => {
    restoreRequested = true;
  });
  setHandler(badgeRenewedSignal, (renewal) => {
    renewedUntil = Math.max(renewedUntil ?? 0, Date.parse(renewal.expiresAt));
  });
  setHandler(badgeTimersQuery, () => ({
    expiresAt: new Date(expiresAt).toISOString(),
    reminderAt: new Date(reminderAt).toISOString(),
    reminded,
    suspendedUntil: suspendedUntil === null ? null : new Date(suspendedUntil).toISOString(),
    revoked,
  }));

  // Follows a later expiry; the reminder is due again before it.
  const extendTo = (until: number) => {
    if (until <= expiresAt) return;
    expiresAt = until;
    reminderAt = until - input.reminderLeadSeconds * 1000;
    reminded = false;
  };

  if (patched(SUPERSEDE_PATCH)) {
    const carried = await activities.supersedeEarlierBadges(input.badgeId);
    if (carried) pendingSuspensions.push(carried);
  }

  while (!revoked) {
    if (renewedUntil !== null) {
      const until: number = renewedUntil;
      renewedUntil = null;
      if (patched(RENEWAL_PATCH)) extendTo(until);
      continue;
    }
    const suspension = pendingSuspensions.shift();
    if (suspension) {
      await activities.suspendBadge(input.badgeId, suspension.until, suspension.reason);
      suspendedUntil = Date.parse(suspension.until);
      continue;
    }
    const now = Date.now();
    if (now >= expiresAt) {
      if (patched(RENEWAL_PATCH)) {
        const outcome = await activities.expireBadgeIfDue(input.badgeId);
        if (outcome.renewedUntil !== null) {
          extendTo(Date.parse(outcome.renewedUntil));
          continue;
        }
        return;
      }
      await activities.expireBadge(input.badgeId);
      return;
    }
    if ((suspendedUntil !== null && now >= suspendedUntil) || (restoreRequested && suspendedUntil !== null)) {
      await activities.restoreBadge(input.badgeId);
      suspendedUntil = null;
      restoreRequested = false;
      continue;
    }
    restoreRequested = false;
    if (!reminded && now >= reminderAt) {
      await activities.remindRenewal(input.badgeId);
      reminded = true;
      continue;
    }
    const wakeAt = Math.min(expiresAt, reminded ? Infinity : reminderAt, suspendedUntil ?? Infinity);
    await condition(() => revoked || pendingSuspensions.length > 0 || restoreRequested || renewedUntil !== null, Math.max(1, wakeAt - now));
  }
}
