// Which member of a brand's team may do what for the brand: the one place the
// rule lives, used by every service that acts for a brand.
//
//   OWNER   runs the team and everything else the brand does.
//   MANAGER runs the brand's business: trademarks, letters, product codes,
//           webhooks and official stores; brings in and lets go of AGENTs.
//   AGENT   acts for the brand against counterfeits, as a rights-protection
//           agent does: sees what the brand sees (letters, trademarks under
//           review, scan insight) and takes the brand's part in complaints,
//           but vouches for no one and changes nothing the brand issues.

export const BRAND_MEMBER_ROLES = ['OWNER', 'MANAGER', 'AGENT'] as const;
export type BrandMemberRole = (typeof BRAND_MEMBER_ROLES)[number];

const ALL: readonly BrandMemberRole[] = BRAND_MEMBER_ROLES;
const RUNS_THE_BRAND: readonly BrandMemberRole[] = ['OWNER', 'MANAGER'];
const OWNERS: readonly BrandMemberRole[] = ['OWNER'];

export const BRAND_PERMISSIONS = {
  /** Invite anyone with any role, change roles, remove any member, cancel any invitation. */
  'team.manage': OWNERS,
  /** Invite AGENTs, cancel invitations of AGENTs, remove AGENTs. */
  'team.manageAgents': RUNS_THE_BRAND,
  /** Members with role and since, pending invitations, the team's audit trail. */
  'team.view': RUNS_THE_BRAND,
  /** Any other change made in the brand's name; what an unqualified membership check asks for. */
  'brand.manage': RUNS_THE_BRAND,
  'trademarks.submit': RUNS_THE_BRAND,
  /** Confirm or deny a letter in the brand's name, and revoke one. */
  'letters.confirm': RUNS_THE_BRAND,
  'letters.view': ALL,
  'productCodes.manage': RUNS_THE_BRAND,
  'webhooks.manage': RUNS_THE_BRAND,
  /** Make a store the brand's official store. */
  'stores.authorize': RUNS_THE_BRAND,
  /** Take the brand's part in a complaint: evidence, statements, appeals. */
  'complaints.act': ALL,
  'complaints.view': ALL,
  'scanInsight.view': ALL,
  /** The brand's private records: trademarks under review and their certificates. */
  'brand.viewPrivate': ALL,
} as const satisfies Record<string, readonly BrandMemberRole[]>;

export type BrandAction = keyof typeof BRAND_PERMISSIONS;
export const BRAND_ACTIONS = Object.keys(BRAND_PERMISSIONS) as BrandAction[];

/**
 * What an unqualified membership check (`requireBrandMember(brandId)`) asks
 * for: running the brand's business. A check that should let AGENTs through
 * names its action, so no new write is open to agents by omission.
 */
export const DEFAULT_BRAND_ACTION: BrandAction = 'brand.manage';

export function mayDo(role: BrandMemberRole | null | undefined, action: BrandAction): boolean {
  return role != null && (BRAND_PERMISSIONS[action] as readonly BrandMemberRole[]).includes(role);
}

export function rolesAllowedTo(action: BrandAction): readonly BrandMemberRole[] {
  return BRAND_PERMISSIONS[action];
}

/** Whether a member in `role` may invite someone to join as `invitedRole`. */
export function mayInvite(role: BrandMemberRole | null | undefined, invitedRole: BrandMemberRole): boolean {
  return mayDo(role, 'team.manage') || (invitedRole === 'AGENT' && mayDo(role, 'team.manageAgents'));
}

/** Cancelling an invitation, or removing a member, follows who may invite that role. */
export const mayRemove = mayInvite;
export const mayCancelInvitation = mayInvite;

/** Only owners change roles, since a new role can carry rights the changer lacks. */
export function mayChangeRole(role: BrandMemberRole | null | undefined): boolean {
  return mayDo(role, 'team.manage');
}

/**
 * A brand always keeps an owner: true when taking `target` out of OWNER (by
 * demotion, removal or leaving) would leave the brand with none.
 */
export function wouldLeaveNoOwner(memberRoles: readonly BrandMemberRole[], target: BrandMemberRole, next: BrandMemberRole | null): boolean {
  if (target !== 'OWNER' || next === 'OWNER') return false;
  return memberRoles.filter((role) => role === 'OWNER').length <= 1;
}
