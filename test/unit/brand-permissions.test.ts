import { describe, expect, it } from 'vitest';
import {
  BRAND_ACTIONS,
  BRAND_MEMBER_ROLES,
  DEFAULT_BRAND_ACTION,
  mayCancelInvitation,
  mayChangeRole,
  mayDo,
  mayInvite,
  mayRemove,
  wouldLeaveNoOwner,
  type BrandAction,
  type BrandMemberRole,
} from '../../src/auth/brand-permissions.js';

// The whole matrix, written out: a change to who may do what shows up here.
const EXPECTED: Record<BrandAction, readonly BrandMemberRole[]> = {
  'team.manage': ['OWNER'],
  'team.manageAgents': ['OWNER', 'MANAGER'],
  'team.view': ['OWNER', 'MANAGER'],
  'brand.manage': ['OWNER', 'MANAGER'],
  'trademarks.submit': ['OWNER', 'MANAGER'],
  'letters.confirm': ['OWNER', 'MANAGER'],
  'letters.view': ['OWNER', 'MANAGER', 'AGENT'],
  'productCodes.manage': ['OWNER', 'MANAGER'],
  'webhooks.manage': ['OWNER', 'MANAGER'],
  'stores.authorize': ['OWNER', 'MANAGER'],
  'complaints.act': ['OWNER', 'MANAGER', 'AGENT'],
  'complaints.view': ['OWNER', 'MANAGER', 'AGENT'],
  'scanInsight.view': ['OWNER', 'MANAGER', 'AGENT'],
  'brand.viewPrivate': ['OWNER', 'MANAGER', 'AGENT'],
};

describe('brand permission matrix', () => {
  it('names every action the expectations name, and no other', () => {
    expect([...BRAND_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const cells = BRAND_ACTIONS.flatMap((action) =>
    BRAND_MEMBER_ROLES.map((role) => [action, role, EXPECTED[action].includes(role)] as const),
  );
  it.each(cells)('%s by %s: %s', (action, role, allowed) => {
    expect(mayDo(role, action)).toBe(allowed);
  });

  it.each(BRAND_ACTIONS)('refuses %s to someone outside the team', (action) => {
    expect(mayDo(null, action)).toBe(false);
    expect(mayDo(undefined, action)).toBe(false);
  });

  it('gives OWNERs every action', () => {
    expect(BRAND_ACTIONS.every((action) => mayDo('OWNER', action))).toBe(true);
  });

  it('asks an unqualified membership check for OWNER or MANAGER, never AGENT', () => {
    expect(BRAND_MEMBER_ROLES.filter((role) => mayDo(role, DEFAULT_BRAND_ACTION))).toEqual(['OWNER', 'MANAGER']);
  });
});

describe('team rules', () => {
  const pairs = BRAND_MEMBER_ROLES.flatMap((by) => BRAND_MEMBER_ROLES.map((target) => [by, target] as const));

  it.each(pairs)('%s inviting, removing or cancelling for a %s', (by, target) => {
    const expected = by === 'OWNER' || (by === 'MANAGER' && target === 'AGENT');
    expect(mayInvite(by, target)).toBe(expected);
    expect(mayRemove(by, target)).toBe(expected);
    expect(mayCancelInvitation(by, target)).toBe(expected);
  });

  it('lets only OWNERs change roles', () => {
    expect(BRAND_MEMBER_ROLES.filter((role) => mayChangeRole(role))).toEqual(['OWNER']);
    expect(mayChangeRole(null)).toBe(false);
  });

  it('keeps the last owner', () => {
    expect(wouldLeaveNoOwner(['OWNER', 'MANAGER'], 'OWNER', 'MANAGER')).toBe(true);
    expect(wouldLeaveNoOwner(['OWNER', 'AGENT'], 'OWNER', null)).toBe(true);
    expect(wouldLeaveNoOwner(['OWNER', 'OWNER'], 'OWNER', null)).toBe(false);
    expect(wouldLeaveNoOwner(['OWNER', 'OWNER'], 'OWNER', 'AGENT')).toBe(false);
    expect(wouldLeaveNoOwner(['OWNER'], 'OWNER', 'OWNER')).toBe(false);
    expect(wouldLeaveNoOwner(['OWNER', 'MANAGER'], 'MANAGER', null)).toBe(false);
    expect(wouldLeaveNoOwner(['OWNER', 'MANAGER'], 'MANAGER', 'AGENT')).toBe(false);
  });
});
