import type { Access } from '../auth/access.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';

// `node(id:)` reaches any object directly, so objects that are visible nested
// in a parent but private on their own are checked here as well.
const guards: Record<string, (node: never, access: Access) => Promise<boolean>> = {
  Document: (document: { id: string; uploadedById: string }, access) => access.canReadDocument(document),
};

export async function assertNodeReadable(typename: string, node: unknown, access: Access): Promise<void> {
  const guard = guards[typename];
  if (guard && !(await guard(node as never, access))) {
    throw access.actor ? new ForbiddenError('You may not read this object.') : new UnauthenticatedError();
  }
}
