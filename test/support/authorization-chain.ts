import { REVIEW_LETTER, SUBMIT_LETTER } from './letter-operations.js';
import { pdfFile, type Stack } from './stack.js';
import type { Actor } from './store-operations.js';

// Letters approved by a reviewer, for tests that need a store holding an
// authorization (depth 1) or a sub-distributor under it (depth 2).

const DAY = 86_400_000;

export function letterInput(storeId: string, brandId: string, overrides: Record<string, unknown> = {}) {
  return {
    storeId,
    brandId,
    scope: 'All products, EU marketplaces',
    validFrom: new Date(Date.now() - DAY).toISOString(),
    validUntil: new Date(Date.now() + 180 * DAY).toISOString(),
    letter: null,
    ...overrides,
  };
}

export function submitLetter(
  stack: Stack,
  owner: Actor,
  input: Record<string, unknown>,
  file: File = pdfFile('letter.pdf', 'authorization'),
) {
  return stack.gql(SUBMIT_LETTER, { input }, { token: owner.token, files: { 'input.letter': file } });
}

/**
 * A letter for the store, approved by the reviewer: the store then holds an
 * AUTHORIZED_STORE badge. With a grantor it is a depth-2 letter, ending a day
 * before the 180 days of a depth-1 one (a letter can't outlive its grantor's).
 */
export async function approvedLetter(
  stack: Stack,
  who: { owner: Actor; reviewer: Actor },
  storeId: string,
  brandId: string,
  grantorLetterId?: string,
): Promise<{ id: string; chainDepth: number }> {
  const overrides = grantorLetterId ? { grantorLetterId, validUntil: new Date(Date.now() + 179 * DAY).toISOString() } : {};
  const submitted = await submitLetter(stack, who.owner, letterInput(storeId, brandId, overrides));
  const letter = submitted.body.data?.submitAuthorizationLetter.letter;
  if (!letter) throw new Error(`submitAuthorizationLetter failed: ${JSON.stringify(submitted.body)}`);
  const reviewed = await stack.gql(REVIEW_LETTER, { input: { id: letter.id, approve: true } }, { token: who.reviewer.token });
  if (reviewed.body.data?.reviewAuthorizationLetter.letter?.status !== 'APPROVED')
    throw new Error(`approval failed: ${JSON.stringify(reviewed.body)}`);
  return reviewed.body.data.reviewAuthorizationLetter.letter;
}
