import { Prisma, type Badge } from '@prisma/client';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Access } from '../auth/access.js';
import { checkBadgeCredential, type StatusPurpose } from '../credentials/badge-credentials.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { brandProofEndsAt, issueBadge } from './badge-issuance.js';
import { revokeBadgesInTransaction } from './badge-transitions.js';
import type { ServiceDeps } from './service-deps.js';
import { loadOwnedStore } from './stores.js';

/** Badges a storefront shows: the ones that currently stand (a suspended one shows as such). */
export const CURRENT_BADGE_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;

const signing = (deps: ServiceDeps) => ({ key: deps.signingKey, baseUrl: deps.config.PUBLIC_BASE_URL });

export async function requestOfficialBadge(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string; brandId: string },
): Promise<Result<Badge>> {
  const store = await loadOwnedStore(deps, access, input.storeId, ['input', 'storeId']);
  if (!store.ok) return store;
  const brand = await deps.db.brand.findUnique({ where: { id: input.brandId } });
  if (!brand) return fail('NOT_FOUND', 'No brand has this id.', ['input', 'brandId']);
  const actor = await access.requireBrandMember(brand.id);

  const existing = await deps.db.badge.findFirst({
    where: { storeId: store.value.id, brandId: brand.id, kind: 'OFFICIAL_STORE', status: { in: [...CURRENT_BADGE_STATUSES] } },
  });
  if (existing) return ok(existing);

  const now = deps.clock();
  try {
    const badge = await deps.db.$transaction(async (tx) => {
      const expiresAt = await brandProofEndsAt(tx, brand.id, now);
      if (!expiresAt || brand.status !== 'VERIFIED') return null;
      return issueBadge(
        tx,
        signing(deps),
        { storeId: store.value.id, brandId: brand.id, kind: 'OFFICIAL_STORE', expiresAt },
        actor.id,
        now,
      );
    });
    if (!badge)
      return fail('NOT_ALLOWED_IN_STATE', 'The brand is not VERIFIED: a reviewer must approve a valid trademark first.', [
        'input',
        'brandId',
      ]);
    await deps.workflows.badgeIssued(badge);
    return ok(badge);
  } catch (error) {
    // Two requests at once: the partial unique index lets one through; the other returns its badge.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const winner = await deps.db.badge.findFirst({
        where: { storeId: store.value.id, brandId: brand.id, kind: 'OFFICIAL_STORE', status: { in: [...CURRENT_BADGE_STATUSES] } },
      });
      if (winner) return ok(winner);
    }
    throw error;
  }
}

export async function revokeBadge(deps: ServiceDeps, access: Access, input: { id: string; reason: string }): Promise<Result<Badge>> {
  const actor = access.requireActor();
  if (!access.hasRole('REVIEWER', 'ADMIN')) throw new ForbiddenError('Only reviewers and admins revoke badges.');
  const reason = input.reason.trim();
  if (!reason) return fail('INVALID', 'A revocation needs a reason.', ['input', 'reason']);
  const badge = await deps.db.badge.findUnique({ where: { id: input.id } });
  if (!badge) return fail('NOT_FOUND', 'No badge has this id.', ['input', 'id']);
  const revoked = await deps.db.$transaction((tx) => revokeBadgesInTransaction(tx, [badge.id], reason, actor.id, deps.clock()));
  if (revoked.length === 0)
    return fail('NOT_ALLOWED_IN_STATE', `The badge is ${badge.status}; only ACTIVE or SUSPENDED badges can be revoked.`, ['input', 'id']);
  await deps.workflows.badgeRevoked(badge.id);
  return ok(await deps.db.badge.findUniqueOrThrow({ where: { id: badge.id } }));
}

/**
 * The storefront path: a fixed number of queries for any number of stores
 * (the badges, then their brands and stores, each in one batch).
 */
/** At most `perStore` badges per store on average: the caller trims each store's list to it. */
export function currentBadgesOfStores(deps: Pick<ServiceDeps, 'db'>, storeIds: string[], perStore: number, brandSlug?: string | null) {
  return deps.db.badge.findMany({
    include: { brand: true, store: true },
    where: {
      storeId: { in: storeIds },
      status: { in: [...CURRENT_BADGE_STATUSES] },
      ...(brandSlug ? { brand: { slug: brandSlug } } : {}),
    },
    orderBy: [{ issuedAt: 'asc' }],
    take: storeIds.length * perStore,
  });
}

export interface BadgeVerification {
  valid: boolean;
  status: Badge['status'] | null;
  badge: Badge | null;
  reason: string | null;
}

export async function verifyBadgeCredential(deps: ServiceDeps, credential: string): Promise<BadgeVerification> {
  const check = await checkBadgeCredential(deps.signingKey, deps.config.PUBLIC_BASE_URL, credential, deps.clock());
  const badgeId = check.badgeGlobalId ? decodedBadgeId(check.badgeGlobalId) : null;
  const badge = badgeId ? await deps.db.badge.findUnique({ where: { id: badgeId } }) : null;
  if (!check.ok) return { valid: false, status: badge?.status ?? null, badge, reason: check.reason };
  if (!badge || badge.credential !== credential)
    return { valid: false, status: null, badge: null, reason: 'No badge was issued with this credential.' };
  if (badge.status !== 'ACTIVE') {
    const why =
      badge.status === 'REVOKED' ? `The badge was revoked: ${badge.revokedReason ?? 'no reason given'}.` : `The badge is ${badge.status}.`;
    return { valid: false, status: badge.status, badge, reason: why };
  }
  return { valid: true, status: badge.status, badge, reason: null };
}

function decodedBadgeId(globalId: string): string | null {
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename === 'Badge' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** Indexes whose bit is set in a status list: revoked badges, or badges suspended now. */
export async function statusListIndexes(deps: Pick<ServiceDeps, 'db'>, purpose: StatusPurpose): Promise<number[]> {
  const rows = await deps.db.badge.findMany({
    where: { status: purpose === 'revocation' ? 'REVOKED' : 'SUSPENDED' },
    select: { statusListIndex: true },
  });
  return rows.map((row) => row.statusListIndex);
}
