import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { StorefrontCache } from '../../src/http/storefront-cache.js';

const answer = (n: number): ExecutionResult => ({ data: { n } });
const TTL = 60_000;

/** A read as the plugin makes it: a miss, the stores the resolver named, the answer stored. */
function read(cache: StorefrontCache, key: string, stores: string[], n = 1) {
  const hit = cache.get(key);
  if (hit) return hit;
  cache.tag(key, stores);
  cache.set(key, answer(n), [], TTL);
  return undefined;
}

describe('storefront cache', () => {
  it('keeps an answer until a badge of one of its stores changes', () => {
    const cache = new StorefrontCache();
    read(cache, 'a', ['s1', 's2']);
    read(cache, 'b', ['s3']);
    expect(cache.get('a')).toEqual(answer(1));
    cache.storesChanged(['s2']);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual(answer(1));
  });

  it('does not store an answer whose store changed while it was computed', () => {
    const cache = new StorefrontCache();
    expect(cache.get('a')).toBeUndefined();
    cache.tag('a', ['s1']);
    cache.storesChanged(['s1']);
    cache.set('a', answer(1), [], TTL);
    expect(cache.size).toBe(0);
    // A change to another store does not matter.
    expect(cache.get('b')).toBeUndefined();
    cache.storesChanged(['s9']);
    cache.tag('b', ['s1']);
    cache.set('b', answer(2), [], TTL);
    expect(cache.get('b')).toEqual(answer(2));
  });

  it('learns the stores after storing, and then drops a stale answer at once', () => {
    const cache = new StorefrontCache();
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', answer(1), [], TTL);
    // Until its stores are known, any change drops it.
    cache.storesChanged(['elsewhere']);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', answer(1), [], TTL);
    cache.storesChanged(['s1']);
    cache.tag('a', ['s1']);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps an answer about no valid store until its time is up', () => {
    const cache = new StorefrontCache();
    read(cache, 'empty', []);
    cache.storesChanged(['s1']);
    expect(cache.get('empty')).toEqual(answer(1));
  });

  it('drops everything on clear, answers being computed included', () => {
    const cache = new StorefrontCache();
    read(cache, 'a', ['s1']);
    expect(cache.get('b')).toBeUndefined();
    cache.clear();
    cache.tag('b', ['s2']);
    cache.set('b', answer(1), [], TTL);
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });
});
