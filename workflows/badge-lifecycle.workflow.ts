import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
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
  const expiresAt = Date.parse(input.expiresAt);
  const reminderAt = expiresAt - input.reminderLeadSeconds * 1000;
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
  setHandler(badgeTimersQuery, () => ({
    expiresAt: input.expiresAt,
    reminderAt: new Date(reminderAt).toISOString(),
    reminded,
    suspendedUntil: suspendedUntil === null ? null : new Date(suspendedUntil).toISOString(),
    revoked,
  }));

  while (!revoked) {
    const suspension = pendingSuspensions.shift();
    if (suspension) {
      await activities.suspendBadge(input.badgeId, suspension.until, suspension.reason);
      suspendedUntil = Date.parse(suspension.until);
      continue;
    }
    const now = Date.now();
    if (now >= expiresAt) {
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
    await condition(() => revoked || pendingSuspensions.length > 0 || restoreRequested, Math.max(1, wakeAt - now));
  }
}
