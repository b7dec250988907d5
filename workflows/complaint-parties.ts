// Nobody decides a case they are party to. The workflow knows the two sides
// from its own input, so this check is deterministic and needs no I/O; brand
// membership, which can change, is checked by the API before an Update is sent.

export type ComplaintParty = 'CONSUMER' | 'MERCHANT';

export function partyOf(sides: { consumerId: string; storeOwnerId: string }, actorId: string): ComplaintParty | null {
  if (actorId === sides.consumerId) return 'CONSUMER';
  if (actorId === sides.storeOwnerId) return 'MERCHANT';
  return null;
}

export const PARTY_REVIEWER_MESSAGE = "Reviewers don't decide complaints they are party to.";
