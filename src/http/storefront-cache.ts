import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { graphql } from './graphql-runtime.js';
import { rootFields } from './root-fields.js';

/** Public storefront reads whose answers are the same for every anonymous caller. */
export const CACHED_ROOT_FIELDS: ReadonlySet<string> = new Set(['storeBadges', 'badgeStatus']);

/**
 * How long an answer may be served at most. Badge changes clear the cache at
 * once; this bounds changes that send no badge notification (a brand's or a
 * store's name).
 */
export const STOREFRONT_CACHE_TTL_MS = 60_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  result: ExecutionResult;
  expiresAt: number;
}

/**
 * The answers, all dropped on any badge change. A change can add a badge to a
 * store whose cached list is empty, so no entity of the old answer names it:
 * dropping everything is the one invalidation that is always right, and
 * changes are rare next to reads. An answer computed before a change is not
 * stored after it: each miss remembers the generation it started in.
 */
export class StorefrontCache implements Cache {
  private entries = new Map<string, Entry>();
  private missedIn = new Map<string, number>();
  private generation = 0;

  get(key: string): ExecutionResult | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.result;
    if (entry) this.entries.delete(key);
    if (!this.missedIn.has(key)) this.missedIn.set(key, this.generation);
    return undefined;
  }

  set(key: string, result: ExecutionResult, _entities: unknown, ttl: number): void {
    const startedIn = this.missedIn.get(key);
    this.missedIn.delete(key);
    if (startedIn !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { result, expiresAt: Date.now() + ttl });
  }

  invalidate(): void {
    this.clear();
  }

  /** Drops every answer, and every answer being computed. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.missedIn.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Caches answers to anonymous queries that ask only for CACHED_ROOT_FIELDS
 * (over GraphQL, without an Authorization header). `clear()` is called on
 * every badge-change notification (from any process); a mutation run by this
 * process clears it too as it finishes, before its answer is sent, so a
 * client that changed a badge never reads the old answer afterwards.
 */
export function useStorefrontCache(cache: StorefrontCache): Plugin[] {
  const executing = new WeakSet<object>();
  const cacheable = new WeakSet<object>();
  const marker: Plugin = {
    onExecute({ args }) {
      const context = args.contextValue as object;
      executing.add(context);
      const operation = graphql.getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'mutation') return { onExecuteDone: () => cache.clear() };
      if (operation?.operation !== 'query') return;
      const { names } = rootFields(args.document, args.operationName);
      if (names.size > 0 && [...names].every((name) => CACHED_ROOT_FIELDS.has(name))) cacheable.add(context);
    },
  };
  return [
    marker,
    useResponseCache({
      cache,
      session: () => null,
      // Asked before the request is parsed (a hit is served from there, and only
      // answers of cacheable operations are ever stored), and again as it executes.
      enabled: (request, context) =>
        !request.headers.has('authorization') && (!executing.has(context as object) || cacheable.has(context as object)),
      ttl: STOREFRONT_CACHE_TTL_MS,
      invalidateViaMutation: false,
      includeExtensionMetadata: false,
      shouldCacheResult: ({ result }) => !result.errors,
    }) as Plugin,
  ];
}
