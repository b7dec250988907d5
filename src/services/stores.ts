import type { Store } from '@prisma/client';
import type { Access } from '../auth/access.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './service-deps.js';

export async function createStore(deps: ServiceDeps, access: Access, input: { name: string }): Promise<Result<Store>> {
  const owner = access.requireRole('MERCHANT');
  const name = input.name.trim();
  if (name.length === 0 || name.length > 120) return fail('INVALID', 'A store name has 1 to 120 characters.', ['input', 'name']);
  const store = await deps.db.$transaction(async (tx) => {
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
  return ok(store);
}
