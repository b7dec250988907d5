import { mayDo, mayInvite, type BrandAction, type BrandMemberRole } from '../../../auth/brand-permissions.ts';

// The console shows only what the member's role allows, by the same table the
// service enforces: one rule, read in both places.
export { mayDo, mayInvite, type BrandAction, type BrandMemberRole };

export const ROLE_WORDS: Record<BrandMemberRole, string> = {
  OWNER: 'Owner: everything, and runs the team',
  MANAGER: 'Manager: trademarks, letters, product codes, webhooks; brings in agents',
  AGENT: 'Agent: follows counterfeits for the brand; changes nothing',
};
