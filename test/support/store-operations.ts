import { vi } from 'vitest';
import type { Role } from '../../src/auth/tokens.js';
import { REVIEW_TRADEMARK, registerBrand, submitTrademark } from './brand-operations.js';
import { unique, type Stack } from './stack.js';

export const CREATE_STORE = /* GraphQL */ `
  mutation ($input: CreateStoreInput!) {
    createStore(input: $input) {
      store {
        id
        name
        status
        createdAt
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const BADGE_FIELDS = /* GraphQL */ `id kind status label issuedAt expiresAt revokedReason credential store { id name } brand { id slug name }`;

export const REQUEST_OFFICIAL_BADGE = /* GraphQL */ `
  mutation ($input: RequestOfficialBadgeInput!) {
    requestOfficialBadge(input: $input) { badge { ${BADGE_FIELDS} } userErrors { code field message } }
  }
`;

export const REVOKE_BADGE = /* GraphQL */ `
  mutation ($input: RevokeInput!) {
    revokeBadge(input: $input) { badge { ${BADGE_FIELDS} } userErrors { code field message } }
  }
`;

const BADGE_NODE = /* GraphQL */ `query ($id: ID!) { node(id: $id) { ... on Badge { ${BADGE_FIELDS} credentialPending } } }`;

/**
 * The badge as anyone reads it once the transparency log's published
 * checkpoint covers the grant of its newest credential: with that credential.
 * `notCredential` waits past a credential already seen (a badge signed again).
 */
export async function publishedBadge(stack: Pick<Stack, 'gql' | 'token'>, badgeId: string, options: { notCredential?: string } = {}) {
  // Signed in, so the polling is not counted against the anonymous rate limit.
  const token = await stack.token('badge-reader', []);
  return vi.waitFor(
    async () => {
      const res = await stack.gql(BADGE_NODE, { id: badgeId }, { token });
      const badge = res.body.data?.node;
      if (!badge) throw new Error(`no badge ${badgeId}: ${JSON.stringify(res.body)}`);
      if (badge.credentialPending || !badge.credential || badge.credential === options.notCredential)
        throw new Error(`badge ${badgeId}: its credential is not covered by a checkpoint yet`);
      return badge as Record<string, any> & { id: string; credential: string };
    },
    { timeout: 30_000, interval: 200 },
  );
}

export interface Actor {
  subject: string;
  token: string;
}

export async function actor(stack: Stack, prefix: string, roles: Role[]): Promise<Actor> {
  const subject = unique(prefix);
  return { subject, token: await stack.token(subject, roles) };
}

export async function createStore(stack: Stack, owner: Actor, name = unique('Store')) {
  const res = await stack.gql(CREATE_STORE, { input: { name } }, { token: owner.token });
  const store = res.body.data?.createStore.store;
  if (!store) throw new Error(`createStore failed: ${JSON.stringify(res.body)}`);
  return store as { id: string; name: string };
}

/** A brand made VERIFIED by a reviewer's approval of a trademark valid until `validUntil`. */
export async function verifiedBrand(stack: Stack, owner: Actor, reviewer: Actor, validUntil = new Date(Date.now() + 365 * 86_400_000)) {
  const brand = await registerBrand(stack, owner.token, unique('brand'), unique('Brand'));
  const submitted = await submitTrademark(stack, owner.token, brand.id, { validUntil: validUntil.toISOString() });
  const trademark = submitted.body.data.submitTrademark.trademark;
  const reviewed = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademark.id, approve: true } }, { token: reviewer.token });
  if (reviewed.body.data?.reviewTrademark.trademark?.brand.status !== 'VERIFIED')
    throw new Error(`brand not verified: ${JSON.stringify(reviewed.body)}`);
  return { ...brand, trademarkId: trademark.id as string, validUntil };
}
