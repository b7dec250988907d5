import type { Db } from '../db/client.js';
import { expireBadgeIfDue, supersedeEarlierBadges, type CarriedSuspension, type ExpiryOutcome } from '../services/badge-renewal.js';
import { expireBadge, remindBadgeRenewal, restoreSuspendedBadge, suspendBadge } from '../services/badge-transitions.js';

export interface BadgeActivityDeps {
  db: Db;
  clock: () => Date;
  config: { TEMPORAL_TASK_QUEUE: string };
}

export function createBadgeActivities({ db, clock, config }: BadgeActivityDeps) {
  return {
    /** Runs recorded before renewals existed still call this one. */
    async expireBadge(badgeId: string): Promise<boolean> {
      return expireBadge(db, badgeId, clock());
    },
    /** Leaves a badge renewed meanwhile standing and answers its new expiry. */
    async expireBadgeIfDue(badgeId: string): Promise<ExpiryOutcome> {
      return expireBadgeIfDue(db, badgeId, clock());
    },
    async supersedeEarlierBadges(badgeId: string): Promise<CarriedSuspension | null> {
      return supersedeEarlierBadges(db, config.TEMPORAL_TASK_QUEUE, badgeId, clock());
    },
    async remindRenewal(badgeId: string): Promise<boolean> {
      return remindBadgeRenewal(db, badgeId, clock());
    },
    async suspendBadge(badgeId: string, until: string, reason: string): Promise<boolean> {
      return suspendBadge(db, badgeId, new Date(until), reason, clock());
    },
    async restoreBadge(badgeId: string): Promise<boolean> {
      return restoreSuspendedBadge(db, badgeId, clock());
    },
  };
}

export type BadgeActivities = ReturnType<typeof createBadgeActivities>;
