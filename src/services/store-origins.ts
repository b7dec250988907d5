import { randomBytes } from 'node:crypto';
import { Prisma, type Store, type StoreOrigin } from '@prisma/client';
import type { Access } from '../auth/access.js';
import type { Config } from '../config.js';
import { fail, ok, type Result } from '../errors.js';
import { safeFetchText, SafeFetchError } from '../net/safe-fetch.js';
import { parseStoreOrigin } from '../net/web-origin.js';
import { recordAudit } from './audit.js';
import { badgeSigning, reissueStoreCredentials } from './badge-issuance.js';
import type { ServiceDeps } from './service-deps.js';
import { loadOwnedStore } from './stores.js';

// A store binds its badges to its web site by proving it controls the site's
// origin: it publishes a token the service gave it at a well-known path, and
// the service reads it there. Verified origins are named in the store's badge
// credentials, so a badge copied to another site no longer matches the page.

export const VERIFICATION_PATH = '/.well-known/brand-auth-verification.txt';
/** Origins a store may claim, verified or not: each verified one is in every credential the store holds. */
export const STORE_ORIGINS_MAX = 10;
/** The verification file is a line or two; anything bigger is not it. */
export const VERIFICATION_FILE_MAX_BYTES = 4096;

type OriginConfig = Pick<Config, 'STORE_ORIGIN_ALLOW_LOOPBACK' | 'STORE_ORIGIN_FETCH_TIMEOUT_MS'>;

export const verificationUrl = (origin: string) => `${origin}${VERIFICATION_PATH}`;

const newToken = () => `brand-auth-verification=${randomBytes(24).toString('base64url')}`;
const originField = ['input', 'origin'];
const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Whether the verification file carries the token: a line of it, surrounding blanks ignored. */
export const fileHasToken = (body: string, token: string) => body.split(/\r?\n/).some((line) => line.trim() === token);

function parseOrigin(config: OriginConfig, origin: string): Result<string> {
  const parsed = parseStoreOrigin(origin, { allowLoopback: config.STORE_ORIGIN_ALLOW_LOOPBACK });
  return parsed.ok ? ok(parsed.origin) : fail('INVALID', parsed.message, originField);
}

async function verifiedElsewhere(deps: ServiceDeps, storeId: string, origin: string): Promise<boolean> {
  const other = await deps.db.storeOrigin.findFirst({ where: { origin, verifiedAt: { not: null }, storeId: { not: storeId } } });
  return other !== null;
}
const notClaimed = (origin: string) => fail('NOT_FOUND', `${origin} is not claimed by this store; add it first.`, originField);
const takenByAnotherStore = (origin: string) =>
  fail('CONFLICT', `${origin} is verified for another store; it must be removed there before this store can verify it.`, originField);

/** The owner claims an origin and gets the token to publish; claiming it again returns the same claim. */
export async function addStoreOrigin(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string; origin: string },
): Promise<Result<StoreOrigin>> {
  const store = await loadOwnedStore(deps, access, input.storeId, ['input', 'storeId']);
  if (!store.ok) return store;
  const origin = parseOrigin(deps.config, input.origin);
  if (!origin.ok) return origin;
  const existing = await deps.db.storeOrigin.findUnique({ where: { storeId_origin: { storeId: store.value.id, origin: origin.value } } });
  if (existing) return ok(existing);
  if (await verifiedElsewhere(deps, store.value.id, origin.value)) return takenByAnotherStore(origin.value);
  if ((await deps.db.storeOrigin.count({ where: { storeId: store.value.id } })) >= STORE_ORIGINS_MAX) {
    return fail('LIMIT_EXCEEDED', `A store has at most ${STORE_ORIGINS_MAX} origins; remove one first.`, originField);
  }
  try {
    const created = await deps.db.$transaction(async (tx) => {
      const row = await tx.storeOrigin.create({ data: { storeId: store.value.id, origin: origin.value, verificationToken: newToken() } });
      await recordAudit(tx, {
        actorId: store.value.ownerId,
        action: 'store.origin_added',
        entityType: 'Store',
        entityId: store.value.id,
        data: { origin: origin.value },
      });
      return row;
    });
    return ok(created);
  } catch (error) {
    // The same claim sent twice at once: both get the one row.
    if (isUniqueViolation(error)) {
      return ok(
        await deps.db.storeOrigin.findUniqueOrThrow({ where: { storeId_origin: { storeId: store.value.id, origin: origin.value } } }),
      );
    }
    throw error;
  }
}

/** What the service finds at the origin's verification URL: null when the token is there, else why not. */
async function checkPublishedToken(config: OriginConfig, origin: string, token: string): Promise<string | null> {
  const url = verificationUrl(origin);
  try {
    const answer = await safeFetchText(url, {
      allowLoopback: config.STORE_ORIGIN_ALLOW_LOOPBACK,
      timeoutMs: config.STORE_ORIGIN_FETCH_TIMEOUT_MS,
      maxBytes: VERIFICATION_FILE_MAX_BYTES,
    });
    if (answer.status !== 200) return `${url} answered HTTP ${answer.status}; it must answer 200 with the token.`;
    if (!fileHasToken(answer.body, token)) return `${url} does not contain this store's token on a line of its own.`;
    return null;
  } catch (error) {
    if (error instanceof SafeFetchError) return error.message;
    throw error;
  }
}

/**
 * Reads the token at the origin; when it is there the origin is verified and
 * the store's badges are signed again naming it. A failed check is kept on the
 * claim (lastCheckError) and returned as a userError.
 */
export async function verifyStoreOrigin(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string; origin: string },
): Promise<Result<StoreOrigin>> {
  const store = await loadOwnedStore(deps, access, input.storeId, ['input', 'storeId']);
  if (!store.ok) return store;
  const origin = parseOrigin(deps.config, input.origin);
  if (!origin.ok) return origin;
  const claim = await deps.db.storeOrigin.findUnique({ where: { storeId_origin: { storeId: store.value.id, origin: origin.value } } });
  if (!claim) return notClaimed(origin.value);
  if (claim.verifiedAt) return ok(claim);
  if (await verifiedElsewhere(deps, store.value.id, origin.value)) return takenByAnotherStore(origin.value);

  // Outside any transaction: the fetch may take seconds.
  const problem = await checkPublishedToken(deps.config, origin.value, claim.verificationToken);
  const now = deps.clock();
  if (problem) {
    await deps.db.storeOrigin.update({ where: { id: claim.id }, data: { lastCheckedAt: now, lastCheckError: problem } });
    return fail('NOT_ALLOWED_IN_STATE', problem, originField);
  }
  try {
    const verified = await deps.db.$transaction(async (tx) => {
      await lockStore(tx, store.value.id);
      const row = await tx.storeOrigin.update({
        where: { id: claim.id },
        data: { verifiedAt: now, lastCheckedAt: now, lastCheckError: null },
      });
      const reissued = await reissueStoreCredentials(tx, badgeSigning(deps), store.value.id, now);
      await recordAudit(tx, {
        actorId: store.value.ownerId,
        action: 'store.origin_verified',
        entityType: 'Store',
        entityId: store.value.id,
        data: { origin: origin.value, reissuedCredentials: reissued },
        at: now,
      });
      return row;
    });
    return ok(verified);
  } catch (error) {
    if (isUniqueViolation(error)) return takenByAnotherStore(origin.value);
    // The claim was removed while its file was being read.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') {
      return notClaimed(origin.value);
    }
    throw error;
  }
}

/** The owner removes an origin; when it was verified, the store's badges are signed again without it. */
export async function removeStoreOrigin(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string; origin: string },
): Promise<Result<Store>> {
  const store = await loadOwnedStore(deps, access, input.storeId, ['input', 'storeId']);
  if (!store.ok) return store;
  // A claim stored earlier is removable even if it would not parse under today's rules.
  const parsed = parseOrigin(deps.config, input.origin);
  const origin = parsed.ok ? parsed.value : input.origin.trim();
  const now = deps.clock();
  const removed = await deps.db.$transaction(async (tx) => {
    await lockStore(tx, store.value.id);
    const claim = await tx.storeOrigin.findUnique({ where: { storeId_origin: { storeId: store.value.id, origin } } });
    if (!claim) return false;
    await tx.storeOrigin.delete({ where: { id: claim.id } });
    const reissued = claim.verifiedAt ? await reissueStoreCredentials(tx, badgeSigning(deps), store.value.id, now) : 0;
    await recordAudit(tx, {
      actorId: store.value.ownerId,
      action: 'store.origin_removed',
      entityType: 'Store',
      entityId: store.value.id,
      data: { origin, wasVerified: claim.verifiedAt !== null, reissuedCredentials: reissued },
      at: now,
    });
    return true;
  });
  if (!removed) return fail('NOT_FOUND', `${origin} is not an origin of this store.`, originField);
  return ok(store.value);
}

/**
 * FOR UPDATE conflicts with the key-share lock a badge insert takes on its
 * store, so an origin change and a badge issue for the same store run one
 * after the other and the new badge never misses the new origins.
 */
async function lockStore(tx: Prisma.TransactionClient, storeId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Store" WHERE "id" = ${storeId}::uuid FOR UPDATE`;
}
