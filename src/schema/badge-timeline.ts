import type { Badge } from '@prisma/client';
import { expiresSoon } from '../services/reseller-overview.js';
import { BadgeRef } from './badges.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { LIST_BOUNDS } from './list-bounds.js';

// What a badge's brand and store follow: its renewal reminder, renewals, and
// the timeline of everything that happened to it.

const BADGE_EVENT_TYPES = {
  'badge.issued': 'ISSUED',
  'badge.renewal_reminder': 'RENEWAL_REMINDER',
  'badge.renewed': 'RENEWED',
  'badge.suspended': 'SUSPENDED',
  'badge.restored': 'RESTORED',
  'badge.revoked': 'REVOKED',
  'badge.expired': 'EXPIRED',
  'badge.superseded': 'SUPERSEDED',
} as const;
type BadgeEventType = (typeof BADGE_EVENT_TYPES)[keyof typeof BADGE_EVENT_TYPES];

const BadgeEventTypeEnum = builder.enumType('BadgeEventType', {
  values: {
    ISSUED: {},
    RENEWAL_REMINDER: { description: 'The badge ends soon: the trademark or letter behind it needs renewing.' },
    RENEWED: { description: 'A renewed trademark extended the badge; its credential was signed again with the new expiry.' },
    SUSPENDED: {},
    RESTORED: {},
    REVOKED: {},
    EXPIRED: {},
    SUPERSEDED: { description: "A renewed letter's badge took over from this one." },
  } as const,
});

interface BadgeEvent {
  at: Date;
  type: BadgeEventType;
  reason: string | null;
}

const BadgeEventRef = builder.objectRef<BadgeEvent>('BadgeEvent').implement({
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    type: t.field({ type: BadgeEventTypeEnum, resolve: (event) => event.type }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

/** The badge's brand members, its store's owner, reviewers and admins. */
async function followsBadge(badge: Badge, ctx: GraphQLContext): Promise<boolean> {
  if (ctx.access.seesEverything) return true;
  if (!ctx.access.actor) return false;
  const [brands, stores] = await Promise.all([ctx.access.memberBrandIds(), ctx.access.ownedStoreIds()]);
  return brands.has(badge.brandId) || stores.has(badge.storeId);
}

builder.objectFields(BadgeRef, (t) => ({
  expiryReminderSentAt: t.expose('reminderSentAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When the store was reminded to renew before the current expiry; cleared by a renewal.',
  }),
  expiresSoon: t.boolean({
    description: 'The badge stands and ends within the renewal reminder lead.',
    resolve: (badge, _args, ctx) => expiresSoon(badge, ctx.deps.clock(), ctx.deps.config.BADGE_RENEWAL_REMINDER_SECONDS),
  }),
  events: t.field({
    type: [BadgeEventRef],
    description:
      "The badge's timeline, oldest first. Empty unless the caller is a member of its brand, its store's owner, a reviewer or an admin.",
    resolve: async (badge, _args, ctx) => {
      if (!(await followsBadge(badge, ctx))) return [];
      const rows = await ctx.deps.db.auditEvent.findMany({
        where: { entityType: 'Badge', entityId: badge.id, action: { in: Object.keys(BADGE_EVENT_TYPES) } },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
        take: LIST_BOUNDS.badgeEvents,
      });
      return rows.map((row) => ({
        at: row.at,
        type: BADGE_EVENT_TYPES[row.action as keyof typeof BADGE_EVENT_TYPES],
        reason: row.reason,
      }));
    },
  }),
}));
