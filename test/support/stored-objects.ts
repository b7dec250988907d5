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
  // Only what is there now: objects other files upload from here on are not this caller's concern.
  let keys = [...(await objectKeys(stack, prefixes))].filter((key) => !before.has(key));
  const stray: string[] = [];
  await vi
    .waitFor(
      async () => {
        const state = await classify(stack, keys, prefixes);
        stray.push(...state.stray);
        keys = state.inFlight;
        if (keys.length > 0) throw new Error(`uploads still in flight: ${keys.join(', ')}`);
      },
      { timeout: 10_000, interval: 100 },
    )
    // Still in flight after the wait (an upload cut short by a fault elsewhere): its intent leaves it to the sweep.
    .catch((error: unknown) => {
      if (keys.length === 0) throw error;
    });
  return stray;
}

/**
 * Sorts `keys` into objects no one accounts for and uploads still in flight;
 * keys owned by a row or no longer stored drop out. The reads go in the order
 * an upload moves through them: its intent is deleted either in the
 * transaction that writes its row (so a key without an intent has its row by
 * the time rows are read) or after its objects are removed (so it is gone by
 * the time the store is listed again). Read the other way round, an upload
 * settling between two reads would look like a stray.
 */
async function classify(stack: Stack, keys: string[], prefixes: string[]): Promise<{ stray: string[]; inFlight: string[] }> {
  if (keys.length === 0) return { stray: [], inFlight: [] };
  const intents = await stack.db.uploadIntent.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } });
  const [evidence, documents] = await Promise.all([
    stack.db.evidence.findMany({
      where: { OR: [{ storageKey: { in: keys } }, { thumbnailKey: { in: keys } }] },
      select: { storageKey: true, thumbnailKey: true },
    }),
    stack.db.document.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } }),
  ]);
  const stored = await objectKeys(stack, prefixes);
  const owned = new Set([...evidence.flatMap((e) => [e.storageKey, e.thumbnailKey]), ...documents.map((d) => d.storageKey)]);
  const inFlight = new Set(intents.map((i) => i.storageKey));
  const unowned = keys.filter((key) => stored.has(key) && !owned.has(key));
  return { stray: unowned.filter((key) => !inFlight.has(key)), inFlight: unowned.filter((key) => inFlight.has(key)) };
}
