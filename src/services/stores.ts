import type { Prisma, Store } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { lockOwner, ownerSuspension } from './owner-suspension.js';
import { parseInput, requiredText } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES } from './text-limits.js';

export const storeInputSchema = z.object({ name: requiredText(TEXT_RULES.storeName) });

export async function createStore(deps: ServiceDeps, access: Access, input: { name: string }): Promise<Result<Store>> {
  const owner = access.requireRole('MERCHANT');
  const parsed = parseInput(storeInputSchema, input);
  if (!parsed.ok) return parsed;
  const { name } = parsed.value;
  const store = await deps.db.$transaction(async (tx) => {
    // Under the owner's lock, so a strike 3 decided meanwhile can't miss the new store.
    await lockOwner(tx, owner.id);
    await refuseSuspendedOwner(tx, owner.id);
    const created = await tx.store.create({ data: { name, ownerId: owner.id } });
    await recordAudit(tx, { actorId: owner.id, action: 'store.created', entityType: 'Store', entityId: created.id });
    return created;
  });
  return ok(store);
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
