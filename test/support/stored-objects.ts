import { vi } from 'vitest';
import type { Stack } from './stack.js';

// "Nothing was stored" for a refused upload, while other test files upload into
// the same bucket at the same time: a new object is someone else's when a row
// (an Evidence or a Document) owns it, or, while its upload is still in flight,
// when its upload intent is recorded (the intent comes before the object, the
// row after it).

export const EVIDENCE_PREFIXES = ['evidence/', 'evidence-thumbnails/'];
export const DOCUMENT_PREFIXES = ['trademark-certificates/', 'authorization-letters/'];

export async function objectKeys(stack: Stack, prefixes: string[]): Promise<Set<string>> {
  const lists = await Promise.all(prefixes.map((prefix) => stack.objectKeys(prefix)));
  return new Set(lists.flat());
}

/**
 * Objects stored under `prefixes` since `before` that no row refers to and no
 * upload intent accounts for: what a refused upload left behind. Waits a while
 * for uploads in flight to settle into a row or be removed.
 */
export async function strayObjects(stack: Stack, before: Set<string>, prefixes: string[]): Promise<string[]> {
  const settled = async () => {
    const unowned = await unownedObjects(stack, before, prefixes);
    const intents = await stack.db.uploadIntent.findMany({ where: { storageKey: { in: unowned } }, select: { storageKey: true } });
    return { unowned, inFlight: new Set(intents.map((i) => i.storageKey)) };
  };
  const last = await vi
    .waitFor(
      async () => {
        const state = await settled();
        if (state.inFlight.size > 0) throw new Error(`uploads still in flight: ${[...state.inFlight].join(', ')}`);
        return state;
      },
      { timeout: 10_000, interval: 100 },
    )
    // Still in flight after the wait (an upload cut short by a fault elsewhere): its intent leaves it to the sweep.
    .catch(() => settled());
  return last.unowned.filter((key) => !last.inFlight.has(key));
}

async function unownedObjects(stack: Stack, before: Set<string>, prefixes: string[]): Promise<string[]> {
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
