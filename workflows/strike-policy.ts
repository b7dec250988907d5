// What a store owner's strikes lead to, in one place: the workflow reads it to
// choose a decision's effects, and the service reads it to tell whether an
// owner whose strike was rescinded stands suspended still. Pure, so the
// workflow may import it.

export type StrikeConsequence =
  { kind: 'WARNING_ONLY' } | { kind: 'SUSPEND_BADGES'; seconds: number } | { kind: 'SUSPEND_STORES_AND_REVOKE' };

/** Active strikes at which every store of the owner is suspended and their badges revoked. */
export const STRIKES_TO_SUSPEND_STORES = 3;
/** The strike that suspends the owner's badges for a while. */
export const STRIKE_SUSPENDING_BADGES = 2;

/** The consequence of the owner's strike number `strikeNumber`; `badgeSuspensionSeconds` is how long a suspension of badges lasts. */
export function consequenceOfStrike(strikeNumber: number, badgeSuspensionSeconds: number): StrikeConsequence {
  if (strikeNumber >= STRIKES_TO_SUSPEND_STORES) return { kind: 'SUSPEND_STORES_AND_REVOKE' };
  if (strikeNumber === STRIKE_SUSPENDING_BADGES) return { kind: 'SUSPEND_BADGES', seconds: badgeSuspensionSeconds };
  return { kind: 'WARNING_ONLY' };
}

/** Whether an owner with this many active strikes keeps their stores suspended. */
export const storesStaySuspended = (activeStrikes: number) => activeStrikes >= STRIKES_TO_SUSPEND_STORES;
