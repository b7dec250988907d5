import { ANSWER_SUB_LICENSE, REVIEW_LETTER, SET_SUB_LICENSING, SUBMIT_LETTER } from './letter-operations.js';
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

/** The two yeses a sub-letter needs besides the review: the brand's sub-licensing and the granting store's. */
export interface SubLicenseConsent {
  brandOwner: Actor;
  grantorOwner: Actor;
}

/** The brand allows the grantor letter's store to sub-license (before the sub-letter is submitted). */
export async function allowSubLicensing(stack: Stack, brandOwner: Actor, grantorLetterId: string) {
  const res = await stack.gql(SET_SUB_LICENSING, { input: { letterId: grantorLetterId, allowed: true } }, { token: brandOwner.token });
  if (res.body.data?.setSubLicensing.letter?.allowsSubLicensing !== true)
    throw new Error(`setSubLicensing failed: ${JSON.stringify(res.body)}`);
}

/** The granting store's owner confirms a submitted sub-letter. */
export async function confirmSubLetter(stack: Stack, grantorOwner: Actor, letterId: string) {
  const res = await stack.gql(ANSWER_SUB_LICENSE, { input: { letterId, confirm: true } }, { token: grantorOwner.token });
  if (res.body.data?.answerSubLicense.letter?.grantorConfirmation !== 'CONFIRMED')
    throw new Error(`answerSubLicense failed: ${JSON.stringify(res.body)}`);
}

/**
 * A letter for the store, approved by the reviewer: the store then holds an
 * AUTHORIZED_STORE badge. With a grantor it is a depth-2 letter, ending a day
 * before the 180 days of a depth-1 one (a letter can't outlive its grantor's),
 * consented to by the brand and the granting store.
 */
export async function approvedLetter(
  stack: Stack,
  who: { owner: Actor; reviewer: Actor } & Partial<SubLicenseConsent>,
  storeId: string,
  brandId: string,
  grantorLetterId?: string,
): Promise<{ id: string; chainDepth: number }> {
  const overrides = grantorLetterId ? { grantorLetterId, validUntil: new Date(Date.now() + 179 * DAY).toISOString() } : {};
  if (grantorLetterId) {
    if (!who.brandOwner || !who.grantorOwner) throw new Error('a sub-letter needs the brand owner and the granting store owner');
    await allowSubLicensing(stack, who.brandOwner, grantorLetterId);
  }
  const submitted = await submitLetter(stack, who.owner, letterInput(storeId, brandId, overrides));
  const letter = submitted.body.data?.submitAuthorizationLetter.letter;
  if (!letter) throw new Error(`submitAuthorizationLetter failed: ${JSON.stringify(submitted.body)}`);
  if (grantorLetterId) await confirmSubLetter(stack, who.grantorOwner!, letter.id);
  const reviewed = await stack.gql(REVIEW_LETTER, { input: { id: letter.id, approve: true } }, { token: who.reviewer.token });
  if (reviewed.body.data?.reviewAuthorizationLetter.letter?.status !== 'APPROVED')
    throw new Error(`approval failed: ${JSON.stringify(reviewed.body)}`);
  return reviewed.body.data.reviewAuthorizationLetter.letter;
}
