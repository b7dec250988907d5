import type { Stack } from './stack.js';

// "Nothing was stored" for a refused upload, while other test files upload into
// the same bucket at the same time: a new object is someone else's only when a
// row (an Evidence or a Document) owns it.

export const EVIDENCE_PREFIXES = ['evidence/', 'evidence-thumbnails/'];
export const DOCUMENT_PREFIXES = ['trademark-certificates/', 'authorization-letters/'];

export async function objectKeys(stack: Stack, prefixes: string[]): Promise<Set<string>> {
  const lists = await Promise.all(prefixes.map((prefix) => stack.objectKeys(prefix)));
  return new Set(lists.flat());
}

/** Objects stored under `prefixes` since `before` that no row refers to: what a refused upload left behind. */
export async function strayObjects(stack: Stack, before: Set<string>, prefixes: string[]): Promise<string[]> {
  const fresh = [...(await objectKeys(stack, prefixes))].filter((key) => !before.has(key));
  if (fresh.length === 0) return [];
  const [evidence, documents] = await Promise.all([
    stack.db.evidence.findMany({
      where: { OR: [{ storageKey: { in: fresh } }, { thumbnailKey: { in: fresh } }] },
      select: { storageKey: true, thumbnailKey: true },
    }),
    stack.db.document.findMany({ where: { storageKey: { in: fresh } }, select: { storageKey: true } }),
  ]);
  const owned = new Set([...evidence.flatMap((e) => [e.storageKey, e.thumbnailKey]), ...documents.map((d) => d.storageKey)]);
  return fresh.filter((key) => !owned.has(key));
}
