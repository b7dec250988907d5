import type { Db } from '../db/client.js';
import { expireBadge, remindBadgeRenewal, restoreSuspendedBadge, suspendBadge } from '../services/badge-transitions.js';

export interface BadgeActivityDeps {
  db: Db;
  clock: () => Date;
}

export function createBadgeActivities({ db, clock }: BadgeActivityDeps) {
  return {
    async expireBadge(badgeId: string): Promise<boolean> {
      return expireBadge(db, badgeId, clock());
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
