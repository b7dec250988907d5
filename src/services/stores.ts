import { Prisma, type Store } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { lockOwner, ownerSuspension } from './owner-suspension.js';
import { originOfUrl } from '../net/web-origin.js';
import { addProblem, parseInput, requiredText } from './input-validation.js';
import { handleFromName, handleProblem, normalizeHandle } from './store-handles.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES } from './text-limits.js';

const handleSchema = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined) return null;
    const handle = normalizeHandle(value);
    const problem = handleProblem(handle);
    if (problem) addProblem(ctx, 'INVALID', problem);
    return handle;
  });

export const storeInputSchema = z.object({ name: requiredText(TEXT_RULES.storeName), handle: handleSchema });
const storeUpdateSchema = z.object({ name: requiredText(TEXT_RULES.storeName).nullish(), handle: handleSchema });

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
const handleTaken = (handle: string) => fail('CONFLICT', `The handle "${handle}" is taken; choose another.`, ['input', 'handle']);

export async function createStore(
  deps: ServiceDeps,
  access: Access,
  input: { name: string; handle?: string | null },
): Promise<Result<Store>> {
  const owner = access.requireRole('MERCHANT');
  const parsed = parseInput(storeInputSchema, input);
  if (!parsed.ok) return parsed;
  const { name } = parsed.value;
  const chosen = parsed.value.handle;
  // A derived handle has a random suffix; a collision is retried with another.
  for (let attempt = 0; ; attempt += 1) {
    const handle = chosen ?? handleFromName(name);
    try {
      const store = await deps.db.$transaction(async (tx) => {
        // Under the owner's lock, so a strike 3 decided meanwhile can't miss the new store.
        await lockOwner(tx, owner.id);
        await refuseSuspendedOwner(tx, owner.id);
        const created = await tx.store.create({ data: { name, handle, ownerId: owner.id } });
        await recordAudit(tx, { actorId: owner.id, action: 'store.created', entityType: 'Store', entityId: created.id, data: { handle } });
        return created;
      });
      return ok(store);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (chosen) return handleTaken(chosen);
      if (attempt >= 3) throw error;
    }
  }
}

/** The owner renames the store or changes its handle; the old handle stops finding it at once. */
export async function updateStore(
  deps: ServiceDeps,
  access: Access,
  input: { storeId: string; name?: string | null; handle?: string | null },
): Promise<Result<Store>> {
  const store = await loadOwnedStore(deps, access, input.storeId, ['input', 'storeId']);
  if (!store.ok) return store;
  const parsed = parseInput(storeUpdateSchema, { name: input.name, handle: input.handle });
  if (!parsed.ok) return parsed;
  const data: { name?: string; handle?: string } = {};
  if (parsed.value.name) data.name = parsed.value.name;
  if (parsed.value.handle) data.handle = parsed.value.handle;
  if (Object.keys(data).length === 0) return ok(store.value);
  try {
    const updated = await deps.db.$transaction(async (tx) => {
      const row = await tx.store.update({ where: { id: store.value.id }, data });
      await recordAudit(tx, {
        actorId: store.value.ownerId,
        action: 'store.updated',
        entityType: 'Store',
        entityId: row.id,
        data: { before: { name: store.value.name, handle: store.value.handle }, after: data },
      });
      return row;
    });
    return ok(updated);
  } catch (error) {
    if (isUniqueViolation(error) && data.handle) return handleTaken(data.handle);
    throw error;
  }
}

/**
 * The store a consumer means: by its handle ("acme-outlet", "@acme-outlet"),
 * or by a URL on one of its verified origins ("https://shop.example/p/1",
 * "shop.example"). Null when none matches.
 */
export async function findStore(deps: Pick<ServiceDeps, 'db'>, handleOrUrl: string): Promise<Store | null> {
  const text = handleOrUrl.trim();
  if (text.length === 0 || text.length > 2048) return null;
  const handle = normalizeHandle(text.replace(/^@/, ''));
  if (handleProblem(handle) === null) {
    const byHandle = await deps.db.store.findUnique({ where: { handle } });
    if (byHandle) return byHandle;
  }
  const origin = originOfUrl(text);
  if (!origin) return null;
  const claim = await deps.db.storeOrigin.findFirst({ where: { origin, verifiedAt: { not: null } }, include: { store: true } });
  return claim?.store ?? null;
}

/**
 * Loads a store the caller must own. An unknown id is FORBIDDEN like someone
 * else's store, so the answer never tells which ids exist.
 */
export async function loadOwnedStore(deps: ServiceDeps, access: Access, storeId: string, field: string[]): Promise<Result<Store>> {
  const actor = access.requireActor();
  const store = await deps.db.store.findUnique({ where: { id: storeId } });
  if (!store || store.ownerId !== actor.id) throw new ForbiddenError('Only the owner of this store can do this.');
  if (store.status !== 'ACTIVE') return fail('NOT_ALLOWED_IN_STATE', 'The store is suspended.', field);
  await refuseSuspendedOwner(deps.db, actor.id);
  return ok(store);
}

/** Strikes follow the owner: while one of their stores is suspended, they run no store at all. */
async function refuseSuspendedOwner(db: Prisma.TransactionClient, ownerId: string): Promise<void> {
  const suspended = await ownerSuspension(db, ownerId);
  if (suspended) {
    throw new ForbiddenError(
      `Your store "${suspended.name}" is suspended (${suspended.suspendedReason ?? 'strikes'}); while it is, you can't open or run another store.`,
    );
  }
}
