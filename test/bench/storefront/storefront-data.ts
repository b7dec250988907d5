// The storefront bench's data, made through the API like a client would:
// 100 stores of one merchant holding 150 badges with credentials (every store
// an official store of one brand, half of them of a second brand too), and a
// brand with product codes to verify.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import { registerBrand } from '../../support/brand-operations.js';
import { REGISTER_CODES } from '../../support/product-code-operations.js';
import { unique, type Stack } from '../../support/stack.js';
import { REQUEST_OFFICIAL_BADGE, actor, createStore, verifiedBrand } from '../../support/store-operations.js';

export const STORES = 100;
export const CODES = 1000;

export interface StorefrontData {
  storeIds: string[];
  badges: number;
  codes: { brandSlug: string; codes: string[] };
}

export async function seedStorefront(stack: Stack): Promise<StorefrontData> {
  const [owner, reviewer] = await Promise.all([
    actor(stack, 'bench-merchant', ['MERCHANT', 'BRAND']),
    actor(stack, 'bench-reviewer', ['REVIEWER']),
  ]);
  const [first, second] = [await verifiedBrand(stack, owner, reviewer), await verifiedBrand(stack, owner, reviewer)];
  const limit = pLimit(4);
  const stores = await Promise.all(Array.from({ length: STORES }, () => limit(() => createStore(stack, owner))));
  const pairs = stores.flatMap((store, i) => [
    { storeId: store.id, brandId: first.id },
    ...(i % 2 === 0 ? [{ storeId: store.id, brandId: second.id }] : []),
  ]);
  const badgeIds = await Promise.all(
    pairs.map((input) =>
      limit(async () => {
        const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input }, { token: owner.token });
        const id = res.body.data?.requestOfficialBadge.badge?.id as string | undefined;
        if (!id) throw new Error(`no badge issued: ${JSON.stringify(res.body)}`);
        return id;
      }),
    ),
  );
  await credentialsHandedOut(
    stack,
    owner.token,
    stores.map((store) => store.id),
    badgeIds.length,
  );

  const codeOwner = await stack.token(unique('bench-code-owner'), ['BRAND']);
  const brand = await registerBrand(stack, codeOwner, unique('bench-codes'), 'Bench Codes');
  const prefix = randomUUID();
  const codes = Array.from({ length: CODES }, (_, i) => `PC-${prefix}-${i}`);
  const registered = await stack.gql(REGISTER_CODES, { input: { brandId: brand.id, sku: 'SKU-BENCH', codes } }, { token: codeOwner });
  if (registered.body.data?.registerProductCodes.registered !== CODES)
    throw new Error(`codes not registered: ${JSON.stringify(registered.body)}`);
  return { storeIds: stores.map((s) => s.id), badges: pairs.length, codes: { brandSlug: brand.slug, codes } };
}

/**
 * Waits until the transparency log's checkpoint covers every badge's grant:
 * credentials are handed out only then (the bench runs outside vitest, so it
 * polls on its own).
 */
async function credentialsHandedOut(stack: Stack, token: string, storeIds: string[], badges: number): Promise<void> {
  const query = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { badges { credential } } }`;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await delay(250)) {
    const res = await stack.gql(query, { ids: storeIds }, { token });
    const entries = (res.body.data?.storeBadges ?? []) as Array<{ badges: Array<{ credential: string | null }> }>;
    if (entries.flatMap((entry) => entry.badges).filter((badge) => badge.credential).length === badges) return;
  }
  throw new Error('the transparency log did not cover the badges within two minutes: is its worker running?');
}
