import { CLAIM_COMPLAINT, RESPOND_TO_COMPLAINT, SUBMIT_COMPLAINT, addPhoto, fileComplaint, send } from './complaint-operations.js';
import { allowSubLicensing, confirmSubLetter, letterInput, submitLetter, type SubLicenseConsent } from './authorization-chain.js';
import { REVIEW_LETTER } from './letter-operations.js';
import type { Stack } from './stack.js';
import type { Actor } from './store-operations.js';
import { LOG_PREFIX } from '../../src/transparency/log-storage.js';

export const DAY = 86_400_000;
export const inDays = (days: number) => new Date(Date.now() + days * DAY);

/** An opaque id of the right type whose row does not exist. */
export const unknownId = (typename: string) => Buffer.from(`${typename}:00000000-0000-4000-8000-000000000000`).toString('base64');

export const ME = /* GraphQL */ `
  {
    me {
      id
      displayName
      roles
      brands {
        id
      }
      stores {
        id
      }
    }
  }
`;

const ROLE_CHANGE_PAYLOAD = /* GraphQL */ `actor { id displayName roles } userErrors { code field message }`;
export const GRANT_ROLE = /* GraphQL */ `
  mutation ($input: GrantRoleInput!) { grantRole(input: $input) { ${ROLE_CHANGE_PAYLOAD} } }
`;
export const REVOKE_ROLE = /* GraphQL */ `
  mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { ${ROLE_CHANGE_PAYLOAD} } }
`;

// One way to build and send a letter for every test: the authorization chain's.
export { letterInput, submitLetter };

export async function submittedLetter(stack: Stack, owner: Actor, input: Record<string, unknown>) {
  const res = await submitLetter(stack, owner, input);
  const letter = res.body.data?.submitAuthorizationLetter.letter;
  if (!letter) throw new Error(`submitAuthorizationLetter failed: ${JSON.stringify(res.body)}`);
  return letter as { id: string; chainDepth: number; status: string; validUntil: string };
}

/** With a grantor, `consent` gives the brand's sub-licensing and the granting store's confirmation first. */
export async function approvedLetter(
  stack: Stack,
  owner: Actor,
  reviewer: Actor,
  input: Record<string, unknown>,
  consent?: SubLicenseConsent,
) {
  const grantorLetterId = typeof input.grantorLetterId === 'string' ? input.grantorLetterId : null;
  if (grantorLetterId && consent) await allowSubLicensing(stack, consent.brandOwner, grantorLetterId);
  const letter = await submittedLetter(stack, owner, input);
  if (grantorLetterId && consent) await confirmSubLetter(stack, consent.grantorOwner, letter.id);
  const res = await stack.gql(REVIEW_LETTER, { input: { id: letter.id, approve: true } }, { token: reviewer.token });
  if (res.body.data?.reviewAuthorizationLetter.letter?.status !== 'APPROVED')
    throw new Error(`approval failed: ${JSON.stringify(res.body)}`);
  return letter;
}

/** A complaint filed, evidenced, submitted and answered: UNDER_REVIEW, waiting for a reviewer. */
export async function complaintUnderReview(stack: Stack, parties: { consumer: Actor; owner: Actor; storeId: string; brandId?: string }) {
  const complaint = await fileComplaint(stack, parties.consumer, parties.storeId, parties.brandId);
  const photo = await addPhoto(stack, parties.consumer, complaint.id);
  if (photo.body.data?.addEvidence.userErrors.length !== 0) throw new Error(`addEvidence failed: ${JSON.stringify(photo.body)}`);
  for (const [mutation, who, input] of [
    [SUBMIT_COMPLAINT, parties.consumer, { complaintId: complaint.id }],
    [RESPOND_TO_COMPLAINT, parties.owner, { complaintId: complaint.id, statement: 'We sell genuine goods only.' }],
  ] as const) {
    const { res, payload } = await send(stack, mutation, who, input);
    if (!payload?.complaint) throw new Error(`complaint step failed: ${JSON.stringify(res.body)}`);
  }
  return complaint.id;
}

export function claim(stack: Stack, who: Actor, complaintId: string) {
  return stack.gql(CLAIM_COMPLAINT, { input: { complaintId } }, { token: who.token });
}

/**
 * Objects that appeared in the bucket since `before` and belong to no
 * Document or Evidence row: what a refused upload would leave behind. Other
 * test files upload at the same time, so only orphans count.
 */
export async function orphanObjects(stack: Stack, before: ReadonlySet<string>): Promise<string[]> {
  // The transparency log's tiles are written by whichever test file's worker integrates the shared log.
  const fresh = (await stack.objectKeys()).filter((key) => !before.has(key) && !key.startsWith(LOG_PREFIX));
  if (fresh.length === 0) return [];
  const [documents, evidence] = await Promise.all([
    stack.db.document.findMany({ where: { storageKey: { in: fresh } }, select: { storageKey: true } }),
    stack.db.evidence.findMany({
      where: { OR: [{ storageKey: { in: fresh } }, { thumbnailKey: { in: fresh } }] },
      select: { storageKey: true, thumbnailKey: true },
    }),
  ]);
  const owned = new Set([...documents.map((d) => d.storageKey), ...evidence.flatMap((e) => [e.storageKey, e.thumbnailKey])]);
  return fresh.filter((key) => !owned.has(key));
}

export async function objectSnapshot(stack: Stack): Promise<ReadonlySet<string>> {
  return new Set(await stack.objectKeys());
}
