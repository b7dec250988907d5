import type { Access } from '../auth/access.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';

/** The one refusal for an object the caller may not see: a type's scope, a guard below, or an id that doesn't exist. */
export const refusal = (access: Access) => (access.actor ? new ForbiddenError() : new UnauthenticatedError());

// `node(id:)` reaches any object directly, so objects that are visible nested
// in a parent but private on their own are checked here as well.
const guards: Record<string, (node: never, access: Access) => Promise<boolean>> = {
  Document: (document: { id: string; uploadedById: string }, access) => access.canReadDocument(document),
};

export async function assertNodeReadable(typename: string, node: unknown, access: Access): Promise<void> {
  const guard = guards[typename];
  if (guard && !(await guard(node as never, access))) throw refusal(access);
}

// Anyone may see every brand, store and badge (public profiles), so an unknown
// id of these types can say so.
const PUBLIC_TYPES = new Set(['Brand', 'Store', 'Badge']);

/**
 * An id that names nothing. Where the caller could not have seen the object had
 * it existed, the answer is the refusal a hidden object gets, so `node(id)`
 * never tells whether someone else's complaint, letter or file exists.
 */
export function missingNode(typename: string, access: Access): null {
  if (PUBLIC_TYPES.has(typename) || access.seesEverything) return null;
  throw refusal(access);
}
